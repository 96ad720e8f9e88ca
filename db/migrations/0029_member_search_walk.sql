-- The three sort indexes of the member list carry search_text and user_id, so a search can walk
-- the sort order on the index alone (an index-only scan: row-level security's policy reads
-- org_id and user_id, the search reads search_text). With a heap fetch per row, walking 20,000
-- members to find a page of a common term took 75 to 97 ms at 1,000,000; on the index alone,
-- 5 ms (bench/provisioning.ts, lib/identity/member-search.ts). Rebuilt in place: on a large
-- directory this migration holds the memberships table's lock while each index builds.
DROP INDEX IF EXISTS "memberships_org_email_idx";--> statement-breakpoint
CREATE INDEX "memberships_org_email_idx" ON "memberships" USING btree ("org_id","email_key","id") INCLUDE ("search_text","user_id");--> statement-breakpoint
DROP INDEX IF EXISTS "memberships_org_name_idx";--> statement-breakpoint
CREATE INDEX "memberships_org_name_idx" ON "memberships" USING btree ("org_id","name_key","id") INCLUDE ("search_text","user_id");--> statement-breakpoint
DROP INDEX IF EXISTS "memberships_org_status_idx";--> statement-breakpoint
CREATE INDEX "memberships_org_status_idx" ON "memberships" USING btree ("org_id","status_key","email_key","id") INCLUDE ("search_text","user_id");
--> statement-breakpoint
-- The members matching a search term, in a sort order, after a keyset bound: the next p_limit of
-- them. As the table owner (LIKE is not leakproof, and row-level security's policy, evaluated for
-- every row walked, cost four times the walk itself) but only within the transaction's own org;
-- the caller re-reads the ids through its own row-level security and scope (member-search.ts).
-- Dynamic SQL, planned with the term and the limit: the planner walks the sort index on its own
-- (index-only, through the INCLUDE columns above) when matches are common, or takes the trigram
-- index and sorts when they are rare. p_kind: 'contains' (p_term is a LIKE pattern) or 'prefix'
-- (the email or the name starts with p_term). p_after: the sort key values of the last row,
-- its id last. Returns each id with its keys as a JSON array, for the next bound.
CREATE FUNCTION countersign_member_matches(p_kind text, p_term text, p_sort text, p_backwards boolean, p_after text[], p_limit integer)
RETURNS TABLE (id uuid, keys text) LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_org uuid := countersign_org();
  v_dir text := CASE WHEN p_backwards THEN 'DESC' ELSE 'ASC' END;
  v_cols text[];
  v_match text;
  v_after text := '';
  v_order text;
  v_found integer := 0;
  v_last text;
BEGIN
  IF v_org IS NULL THEN RETURN; END IF;
  v_cols := CASE p_sort WHEN 'email' THEN ARRAY['email_key', 'id'] WHEN 'name' THEN ARRAY['name_key', 'id'] WHEN 'status' THEN ARRAY['status_key', 'email_key', 'id'] END;
  v_match := CASE p_kind
    WHEN 'contains' THEN 'search_text LIKE $2'
    WHEN 'prefix' THEN '(starts_with(search_text, $2) OR starts_with(substr(search_text, strpos(search_text, '' '') + 1), $2))'
  END;
  IF v_cols IS NULL OR v_match IS NULL THEN RAISE EXCEPTION 'countersign_member_matches: unknown sort % or kind %', p_sort, p_kind; END IF;
  IF p_after IS NOT NULL THEN
    IF array_length(p_after, 1) IS DISTINCT FROM array_length(v_cols, 1) THEN RAISE EXCEPTION 'countersign_member_matches: the bound has % values, the sort % keys', array_length(p_after, 1), array_length(v_cols, 1); END IF;
    v_after := format(' AND (%s) %s (%s)', array_to_string(v_cols, ', '), CASE WHEN p_backwards THEN '<' ELSE '>' END,
      (SELECT string_agg(CASE WHEN i = array_length(v_cols, 1) THEN format('$3[%s]::uuid', i) ELSE format('$3[%s]', i) END, ', ') FROM generate_series(1, array_length(v_cols, 1)) i));
  END IF;
  v_order := (SELECT string_agg(c || ' ' || v_dir, ', ') FROM unnest(v_cols) c);
  IF p_kind = 'contains' THEN
    -- First the sort index alone, a bounded stretch of it: a common term has its next matches
    -- there (the planner, guessing any LIKE rare, would instead take every match from the
    -- trigram index and sort them: 49 ms for a term on 2.5% of 1,000,000 members, against 2).
    FOR id, keys IN EXECUTE format('SELECT id, json_build_array(%1$s)::text FROM (SELECT %1$s, search_text FROM memberships WHERE org_id = $1%2$s ORDER BY %3$s LIMIT $5) w WHERE search_text LIKE $2 ORDER BY %3$s LIMIT $4',
        array_to_string(v_cols, ', '), v_after, v_order)
      USING v_org, p_term, p_after, p_limit, greatest(20000, p_limit * 100)
    LOOP
      RETURN NEXT;
      v_found := v_found + 1;
      v_last := keys;
    END LOOP;
    IF v_found >= p_limit THEN RETURN; END IF;
    -- Then the trigram index for the rest, after the last match returned (the stretch walked
    -- holds no other), or after the caller's bound when the stretch held none.
    IF v_found > 0 THEN
      p_after := ARRAY(SELECT json_array_elements_text(v_last::json));
      v_after := format(' AND (%s) %s (%s)', array_to_string(v_cols, ', '), CASE WHEN p_backwards THEN '<' ELSE '>' END,
        (SELECT string_agg(CASE WHEN i = array_length(v_cols, 1) THEN format('$3[%s]::uuid', i) ELSE format('$3[%s]', i) END, ', ') FROM generate_series(1, array_length(v_cols, 1)) i));
    END IF;
    p_limit := p_limit - v_found;
  END IF;
  RETURN QUERY EXECUTE format('SELECT id, json_build_array(%s)::text FROM memberships WHERE org_id = $1 AND %s%s ORDER BY %s LIMIT $4', array_to_string(v_cols, ', '), v_match, v_after, v_order)
    USING v_org, p_term, p_after, p_limit;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION countersign_member_matches(text, text, text, boolean, text[], integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION countersign_member_matches(text, text, text, boolean, text[], integer) TO countersign_app;
