-- Row-level security: the second wall behind the app's own org and scope filters. Every query
-- of the app runs as countersign_app, which owns nothing, so these policies apply to it (the
-- owner, running migrations, is not subject to them). Transaction-local settings, set by
-- db/tenant-scope.ts, say which org (and which user) a transaction acts for; without them a
-- tenant table returns nothing, so a query that forgets its filter still sees no other tenant.
CREATE FUNCTION countersign_org() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('countersign.org_id', true), '')::uuid
$$;
--> statement-breakpoint
CREATE FUNCTION countersign_user() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('countersign.user_id', true), '')::uuid
$$;
--> statement-breakpoint
-- The operator (CLI, seed, workers) and the authentication step itself act across orgs.
CREATE FUNCTION countersign_bypass() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('countersign.bypass', true), '') = 'on'
$$;
--> statement-breakpoint
ALTER TABLE branches ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY branches_tenant ON branches TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE roles ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY roles_tenant ON roles TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE role_inherits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY role_inherits_tenant ON role_inherits TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE grants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY grants_tenant ON grants TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY orders_tenant ON orders TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE order_lines ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY order_lines_tenant ON order_lines TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY api_tokens_tenant ON api_tokens TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_events_tenant ON audit_events TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_checkpoints_tenant ON audit_checkpoints TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A person also sees their own memberships in other orgs (the org switcher), nothing else there.
CREATE POLICY memberships_tenant ON memberships TO countersign_app
  USING (countersign_bypass() OR org_id = countersign_org() OR user_id = countersign_user())
  WITH CHECK (countersign_bypass() OR org_id = countersign_org());
--> statement-breakpoint
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY organizations_tenant ON organizations TO countersign_app
  USING (countersign_bypass() OR id = countersign_org()
         OR EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = organizations.id AND m.user_id = countersign_user()))
  WITH CHECK (countersign_bypass());
