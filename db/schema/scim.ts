import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { grants } from "./access";
import { memberships, users } from "./identity";
import { organizations } from "./organizations";

/**
 * An org's SCIM 2.0 bearer token (docs/adr/0025-scim-provisioning.md). Only the SHA-256 of the
 * secret is stored; it is shown once when created. A token reads and writes its own org only.
 */
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // First characters of the token, shown in lists so people can tell tokens apart.
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Moved at most once a minute by countersign_scim_principal (migration scim_provisioning).
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("scim_tokens_org_idx").on(t.orgId)],
);

/**
 * A SCIM User as the IdP sent it, keyed by (org, id) and userName (unique per org, whatever its
 * case), never by email: emails repeat and need not be addresses (RFC 7643 §4.1). `active` is the
 * IdP's flag, echoed as set; the membership says whether the person has joined. `doc` is the
 * resource without id/meta; `version` is meta.version (the ETag). A DELETE sets `deleted_at`.
 */
export const scimUsers = pgTable(
  "scim_users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    userName: text("user_name").notNull(),
    userNameKey: text("user_name_key").notNull(),
    externalId: text("external_id"),
    active: boolean("active").notNull().default(true),
    doc: jsonb("doc").$type<Record<string, unknown>>().notNull(),
    version: integer("version").notNull().default(1),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    membershipId: uuid("membership_id").references(() => memberships.id, { onDelete: "set null" }),
    // The sign-in email chosen (ADR 0025), lower-cased so "another SCIM user's already" is an
    // index lookup under row-level security; null: the person signs in through the org's SSO only.
    signInEmail: text("sign_in_email"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("scim_users_org_user_name_uq").on(t.orgId, t.userNameKey).where(sql`${t.deletedAt} is null`),
    index("scim_users_org_created_idx").on(t.orgId, t.createdAt, t.id),
    index("scim_users_membership_idx").on(t.membershipId),
    index("scim_users_org_sign_in_email_idx").on(t.orgId, t.signInEmail).where(sql`${t.deletedAt} is null`),
  ],
);

/** A SCIM Group: its name is what the SSO mapping rules match (claim "groups"). */
export const scimGroups = pgTable(
  "scim_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    displayNameKey: text("display_name_key").notNull(),
    externalId: text("external_id"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("scim_groups_org_name_uq").on(t.orgId, t.displayNameKey).where(sql`${t.deletedAt} is null`),
    index("scim_groups_org_created_idx").on(t.orgId, t.createdAt, t.id),
  ],
);

export const scimGroupMembers = pgTable(
  "scim_group_members",
  {
    groupId: uuid("group_id").notNull().references(() => scimGroups.id, { onDelete: "cascade" }),
    scimUserId: uuid("scim_user_id").notNull().references(() => scimUsers.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.scimUserId] }), index("scim_group_members_user_idx").on(t.scimUserId)],
);

/** The grants SCIM's mapping made, so a later change removes only those, never a grant given by hand. */
export const scimMappedGrants = pgTable("scim_mapped_grants", {
  grantId: uuid("grant_id").primaryKey().references(() => grants.id, { onDelete: "cascade" }),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  scimUserId: uuid("scim_user_id").notNull().references(() => scimUsers.id, { onDelete: "cascade" }),
});
