-- A request's principal in one statement (docs/adr/0011-request-setup-in-few-round-trips.md).
-- Authentication must look across orgs before anyone is known: a bearer token names its org, a
-- session's person picks an org by its slug. These SECURITY DEFINER functions, owned by the
-- migrating role (which owns the tables, so row-level security does not apply to it), read
-- exactly the rows of that one token or that one membership, with its grants and the org's role
-- graph, and return them as one JSON value: one round trip instead of two transactions.
--
-- The member's access: unexpired grants with their branch, and the org's roles and inheritance
-- edges. Internal: callable only through the two functions below.
CREATE FUNCTION countersign_member_access(p_membership_id uuid, p_org_id uuid) RETURNS json LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT json_build_object(
    'grants', coalesce((
      SELECT json_agg(json_build_object(
        'grantId', g.id, 'roleId', g.role_id, 'branchId', g.branch_id, 'branchPath', b.path, 'branchName', b.name,
        'expiresAt', g.expires_at, 'approvalLimitMinor', g.approval_limit_minor, 'approvalLimitCurrency', g.approval_limit_currency))
      FROM grants g LEFT JOIN branches b ON b.id = g.branch_id
      WHERE g.membership_id = p_membership_id AND g.org_id = p_org_id AND (g.expires_at IS NULL OR g.expires_at > now())
    ), '[]'::json),
    'roles', coalesce((SELECT json_agg(json_build_object('id', r.id, 'name', r.name, 'permissions', r.permissions)) FROM roles r WHERE r.org_id = p_org_id), '[]'::json),
    'edges', coalesce((SELECT json_agg(json_build_object('roleId', e.role_id, 'inheritsRoleId', e.inherits_role_id)) FROM role_inherits e WHERE e.org_id = p_org_id), '[]'::json)
  )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION countersign_member_access(uuid, uuid) FROM PUBLIC;
--> statement-breakpoint
-- A live API token's member (active, not disabled) and their access, or NULL.
CREATE FUNCTION countersign_api_principal(p_token_hash text) RETURNS json LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT json_build_object(
    'tokenId', t.id, 'membershipId', m.id, 'userId', u.id, 'email', u.email,
    'orgId', o.id, 'slug', o.slug, 'orgName', o.name,
    'access', countersign_member_access(m.id, o.id))
  FROM api_tokens t
  JOIN memberships m ON m.id = t.membership_id AND m.org_id = t.org_id
  JOIN users u ON u.id = m.user_id
  JOIN organizations o ON o.id = t.org_id
  WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
    AND m.status = 'active' AND u.disabled_at IS NULL
$$;
--> statement-breakpoint
-- A person's active membership in the org with this slug and their access, or NULL. With the
-- request's session: whether the org ended the member's sessions after that session began
-- (compared in the database, to the microsecond).
CREATE FUNCTION countersign_member_principal(p_user_id uuid, p_slug text, p_session_id uuid) RETURNS json LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT json_build_object(
    'membershipId', m.id, 'orgId', o.id, 'slug', o.slug, 'name', o.name, 'requireMfa', o.require_mfa,
    'sessionEnded', (p_session_id IS NOT NULL AND m.sessions_revoked_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = p_session_id AND s.created_at > m.sessions_revoked_at)),
    'access', countersign_member_access(m.id, o.id))
  FROM memberships m JOIN organizations o ON o.id = m.org_id
  WHERE o.slug = p_slug AND m.user_id = p_user_id AND m.status = 'active'
$$;
