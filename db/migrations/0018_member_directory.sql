ALTER TABLE "memberships" ADD COLUMN "source" text DEFAULT 'invitation' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "email_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "name_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "status_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "memberships_org_email_idx" ON "memberships" USING btree ("org_id","email_key","id");--> statement-breakpoint
CREATE INDEX "memberships_org_name_idx" ON "memberships" USING btree ("org_id","name_key","id");--> statement-breakpoint
CREATE INDEX "memberships_org_status_idx" ON "memberships" USING btree ("org_id","status_key","email_key","id");--> statement-breakpoint
CREATE INDEX "memberships_search_trgm_idx" ON "memberships" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_source_known" CHECK ("memberships"."source" in ('manual', 'invitation', 'import', 'scim', 'sso'));--> statement-breakpoint
-- The member keys follow what the org shows (lib/identity/member-display.ts): what the inviter
-- typed until the person accepts, their own address and name after. Definer rights so that a
-- person's rename reaches their memberships in every org, which row-level security hides from
-- the session that renames.
CREATE FUNCTION countersign_membership_keys() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  u_email text;
  u_name text;
BEGIN
  SELECT email, name INTO u_email, u_name FROM users WHERE id = NEW.user_id;
  NEW.email_key := lower(coalesce(NEW.invited_email, u_email));
  NEW.name_key := lower(coalesce(NEW.invited_name, split_part(NEW.invited_email, '@', 1), u_name));
  NEW.status_key := NEW.status::text;
  NEW.search_text := NEW.email_key || ' ' || NEW.name_key;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER memberships_keys BEFORE INSERT OR UPDATE OF user_id, status, invited_email, invited_name ON memberships
  FOR EACH ROW EXECUTE FUNCTION countersign_membership_keys();
--> statement-breakpoint
CREATE FUNCTION countersign_user_member_keys() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE memberships SET invited_email = invited_email WHERE user_id = NEW.id AND invited_email IS NULL;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_member_keys AFTER UPDATE OF email, name ON users
  FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION countersign_user_member_keys();
--> statement-breakpoint
UPDATE memberships SET invited_email = invited_email;
--> statement-breakpoint
-- Substring search over members, as countersign_search_products does for products: LIKE is not
-- leakproof, so under row-level security the trigram index would never serve the app's query.
-- This runs it as the table owner with the tenant rule of memberships_tenant narrowed to the
-- transaction's own org (a person's memberships elsewhere are not searchable), at most p_limit
-- ids; the caller re-reads them through its own row-level security and its scope condition
-- (lib/identity/member-search.ts). Dynamic SQL, so each pattern gets its own plan.
CREATE FUNCTION countersign_search_members(p_pattern text, p_limit integer) RETURNS SETOF uuid LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE 'SELECT id FROM memberships WHERE search_text LIKE $1 AND ($2 OR org_id = $3) LIMIT $4'
    USING p_pattern, countersign_bypass(), countersign_org(), p_limit;
END
$$;
