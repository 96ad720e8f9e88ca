import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    // A disabled user cannot sign in anywhere, whatever their memberships say.
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_lower_uq").on(sql`lower(${t.email})`)],
);

export const membershipStatus = pgEnum("membership_status", ["invited", "active", "deactivated"]);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    status: membershipStatus("status").notNull().default("active"),
    // What the inviter typed, shown until the person accepts: an org must not learn an existing
    // account's own name or spelling of its address before that person has agreed to join.
    invitedEmail: text("invited_email"),
    invitedName: text("invited_name"),
    // "End this member's sessions" for one org: sessions created before this instant are not
    // accepted in this org (load-member-principal.ts); the person's other orgs are not touched.
    sessionsRevokedAt: timestamp("sessions_revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // How the member came: added by the operator with a password ("manual"), an invitation, a CSV
    // import, and later SCIM or SSO. Shown and filtered on the Users page.
    source: text("source").notNull().default("invitation"),
    // Lower-cased copies of what the org shows (member-display.ts) and of the status, kept by the
    // triggers of migration member_directory: under row-level security only leakproof operators
    // (=, <, >=, starts_with) use an index, so sorting, keyset paging and search compare these.
    emailKey: text("email_key").notNull().default(""),
    nameKey: text("name_key").notNull().default(""),
    statusKey: text("status_key").notNull().default(""),
    searchText: text("search_text").notNull().default(""),
  },
  (t) => [
    uniqueIndex("memberships_org_user_uq").on(t.orgId, t.userId),
    index("memberships_user_idx").on(t.userId),
    check("memberships_source_known", sql`${t.source} in ('manual', 'invitation', 'import', 'scim', 'sso')`),
    // One index per sort key, each ending in id, for keyset pages at 1,000,000 members. Migration
    // 0029 rebuilds them with INCLUDE (search_text, user_id), which this builder cannot say, so a
    // search walks them index-only (lib/identity/member-search.ts).
    index("memberships_org_email_idx").on(t.orgId, t.emailKey, t.id),
    index("memberships_org_name_idx").on(t.orgId, t.nameKey, t.id),
    index("memberships_org_status_idx").on(t.orgId, t.statusKey, t.emailKey, t.id),
    index("memberships_search_trgm_idx").using("gin", t.searchText.op("gin_trgm_ops")),
  ],
);

// The cookie holds a random session id; only its SHA-256 is stored, so a leaked table
// cannot be replayed as cookies (docs/adr/0002-database-sessions.md).
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    // Bumped (at most once a minute) by the per-request check; the idle timeout reads it.
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    // Last time the person proved themselves in this session: the full sign-in, or a step-up.
    reauthenticatedAt: timestamp("reauthenticated_at", { withTimezone: true }).notNull().defaultNow(),
    // Last successful MFA check; sensitive commands need it within the step-up window.
    mfaVerifiedAt: timestamp("mfa_verified_at", { withTimezone: true }),
    // A session that is not finished signing in: "mfa" (second factor due) or "enrollment"
    // (MFA required by policy, none set up). Only the matching page accepts such a session.
    pending: text("pending"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    membershipId: uuid("membership_id").notNull().references(() => memberships.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // First characters of the token, shown in lists so people can tell tokens apart.
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_membership_idx").on(t.membershipId)],
);
