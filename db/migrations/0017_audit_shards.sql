DROP INDEX "audit_events_chain_seq_uq";--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "heads" jsonb;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "target_label" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_chain_shard_seq_uq" ON "audit_events" USING btree (coalesce("org_id", '00000000-0000-0000-0000-000000000000'::uuid),"shard","seq");--> statement-breakpoint
CREATE INDEX "audit_events_last_signin_idx" ON "audit_events" USING btree ("org_id","actor_id","occurred_at") WHERE "audit_events"."action" = 'auth.signin.succeeded';--> statement-breakpoint
-- The one way events are appended (docs/adr/0010): one prepared call per event, so the append
-- costs one round trip. Each chain (an org, or the global chain) is split into 16 shards; the
-- call takes the first shard whose transaction-scoped advisory lock is free (a lone writer always
-- gets shard 0), and only when all 16 are held does it wait, on the one its backend id picks.
-- The lock is held until commit, so a shard never forks; a rollback or a killed backend releases
-- it with nothing written. The head is read after the lock is held (a new snapshot per
-- statement), and the time is the database clock then, so time never runs backwards in a shard.
-- SECURITY DEFINER, so the global chain's head is readable whatever the caller's tenant scope;
-- an org's chain only from a transaction scoped to that org (or bypassing, as the operator and
-- sign-in do), as row-level security would demand of a plain INSERT.
CREATE FUNCTION audit_append(
  p_org uuid, p_actor_type text, p_actor_id text, p_actor_label text, p_action text, p_target_type text, p_target_id text,
  p_target_label text, p_branch uuid, p_outcome text, p_ip text, p_user_agent text, p_request_id text, p_metadata jsonb,
  p_checkpoint_every integer
) RETURNS TABLE (shard smallint, seq bigint, hash text, checkpoint_due boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  chain text := coalesce(p_org::text, 'global');
  zero constant uuid := '00000000-0000-0000-0000-000000000000';
  s smallint;
  head_seq bigint;
  head_hash text;
  at timestamptz;
  encoded text;
  new_hash text;
BEGIN
  IF p_org IS NOT NULL AND NOT (countersign_bypass() OR p_org = countersign_org()) THEN
    RAISE EXCEPTION 'audit_append: org % is outside this transaction''s tenant scope', p_org USING ERRCODE = '42501';
  END IF;
  FOR i IN 0..15 LOOP
    IF pg_try_advisory_xact_lock(727274002, hashtext(chain || ':' || i)) THEN
      s := i;
      EXIT;
    END IF;
  END LOOP;
  IF s IS NULL THEN
    s := pg_backend_pid() % 16;
    PERFORM pg_advisory_xact_lock(727274002, hashtext(chain || ':' || s));
  END IF;
  SELECT e.seq, e.hash INTO head_seq, head_hash FROM audit_events e
  WHERE coalesce(e.org_id, zero) = coalesce(p_org, zero) AND e.shard = s
  ORDER BY e.seq DESC LIMIT 1;
  head_seq := coalesce(head_seq, 0) + 1;
  head_hash := coalesce(head_hash, repeat('0', 64));
  at := date_trunc('milliseconds', clock_timestamp());
  encoded := concat_ws(E'\t', '2', audit_copy_text(p_org::text), s::text, head_seq::text,
    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), audit_copy_text(p_actor_type), audit_copy_text(p_actor_id),
    audit_copy_text(p_actor_label), audit_copy_text(p_action), audit_copy_text(p_target_type), audit_copy_text(p_target_id),
    audit_copy_text(p_target_label), audit_copy_text(p_branch::text), audit_copy_text(p_outcome), audit_copy_text(p_ip),
    audit_copy_text(p_user_agent), audit_copy_text(p_request_id), audit_copy_text(p_metadata::text), head_hash);
  new_hash := encode(sha256(convert_to(encoded, 'UTF8')), 'hex');
  INSERT INTO audit_events (org_id, shard, seq, hash_version, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
    target_label, branch_id, outcome, ip, user_agent, request_id, metadata, prev_hash, hash)
  VALUES (p_org, s, head_seq, 2, at, p_actor_type, p_actor_id, p_actor_label, p_action, p_target_type, p_target_id, p_target_label, p_branch,
    p_outcome, p_ip, p_user_agent, p_request_id, p_metadata, head_hash, new_hash);
  RETURN QUERY SELECT s, head_seq, new_hash, p_checkpoint_every > 0 AND head_seq % p_checkpoint_every = 0;
END
$$;
--> statement-breakpoint
-- Hash version 2's encoding, the same in lib/audit/hash-event.ts: the version "2" and the fields
-- in the order above, exactly as COPY ... TO STDOUT writes them in its text format (tab between
-- fields, \N for null, backslash, backspace, form feed, newline, carriage return, tab and vertical
-- tab escaped). So a verifier hashes each row's bytes as COPY hands them over, without parsing
-- or re-encoding anything (lib/audit/verify-chunk-source.ts).
CREATE FUNCTION audit_copy_text(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN t IS NULL THEN '\N' ELSE
    replace(replace(replace(replace(replace(replace(replace(t, '\', '\\'), chr(8), '\b'), chr(12), '\f'), chr(10), '\n'), chr(13), '\r'), chr(9), '\t'), chr(11), '\v')
  END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_append(uuid, text, text, text, text, text, text, text, uuid, text, text, text, text, jsonb, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION audit_append(uuid, text, text, text, text, text, text, text, uuid, text, text, text, text, jsonb, integer) TO countersign_app;
--> statement-breakpoint
-- Every shard's head of one chain (seq 0 and the genesis hash for an empty shard): what a
-- checkpoint signs the Merkle root of. One index probe per shard.
CREATE FUNCTION audit_chain_heads(p_org uuid) RETURNS TABLE (shard smallint, seq bigint, hash text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
  IF p_org IS NOT NULL AND NOT (countersign_bypass() OR p_org = countersign_org()) THEN
    RAISE EXCEPTION 'audit_chain_heads: org % is outside this transaction''s tenant scope', p_org USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
  SELECT i::smallint, coalesce(h.seq, 0), coalesce(h.hash, repeat('0', 64))
  FROM generate_series(0, 15) AS g(i)
  LEFT JOIN LATERAL (
    SELECT e.seq, e.hash FROM audit_events e
    WHERE coalesce(e.org_id, '00000000-0000-0000-0000-000000000000'::uuid) = coalesce(p_org, '00000000-0000-0000-0000-000000000000'::uuid) AND e.shard = g.i
    ORDER BY e.seq DESC LIMIT 1) h ON true
  ORDER BY 1;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_chain_heads(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION audit_chain_heads(uuid) TO countersign_app;
