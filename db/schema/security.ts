import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { memberships, users } from "./identity";

/**
 * Failed-attempt counters for sign-in and MFA, shared by every app node because they live here.
 * `key` is "account:<lower email>", "ip:<address>" or "mfa:<user id>"; keyed by the email as typed
 * (not the user id) so an unknown email is throttled exactly like a known one.
 */
export const authThrottle = pgTable("auth_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Anonymous refusals (bad bearer tokens, reset requests past the limit) counted per client
 * address and fixed window (lib/identity/refusal-tally.ts), so a flood is throttled and lands in
 * the audit trail as a few events carrying counts, not one event (and one global-chain lock)
 * each. `detail` is the refusal's metadata as JSON ("" for the throttled row of a window);
 * `unrecorded` is how many of `total` have no audit event yet. Global, like auth_throttle: no org.
 */
export const refusalTallies = pgTable(
  "refusal_tallies",
  {
    kind: text("kind").notNull(),
    address: text("address").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    throttled: boolean("throttled").notNull(),
    detail: text("detail").notNull(),
    total: integer("total").notNull(),
    unrecorded: integer("unrecorded").notNull(),
    firstAt: timestamp("first_at", { withTimezone: true }).notNull().defaultNow(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.address, t.windowStart, t.throttled, t.detail] }), index("refusal_tallies_window_idx").on(t.windowStart)],
);

export const oneTimeTokenPurpose = pgEnum("one_time_token_purpose", ["password_reset", "invitation", "email_change"]);

// Reset, invitation and email-change links: only the SHA-256 of the 256-bit secret is stored; `used_at` makes
// them single-use (set with a conditional UPDATE, so two racing requests cannot both use one).
export const oneTimeTokens = pgTable(
  "one_time_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    purpose: oneTimeTokenPurpose("purpose").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    // Invitations belong to one membership (and so one org); resets to the user only.
    membershipId: uuid("membership_id").references(() => memberships.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    // An email-change link: the address it proves, which becomes the user's email when used.
    newEmail: text("new_email"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("one_time_tokens_user_idx").on(t.userId, t.purpose)],
);

// One TOTP authenticator per user. `last_used_step` is the RFC 6238 time step of the last code
// accepted: a code is accepted only for a later step, in one conditional UPDATE, so a code works
// once even when two requests race.
export const totpFactors = pgTable("totp_factors", {
  userId: uuid("user_id").primaryKey().references(() => users.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const webauthnCredentials = pgTable(
  "webauthn_credentials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    // base64url credential id, as the browser reports it.
    credentialId: text("credential_id").notNull().unique(),
    // base64url COSE public key.
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default(sql`'{}'::text[]`),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("webauthn_credentials_user_idx").on(t.userId)],
);

export const webauthnChallengePurpose = pgEnum("webauthn_challenge_purpose", ["registration", "authentication"]);

// Challenges are stored server-side and consumed on first use, so a replayed response fails.
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    challenge: text("challenge").notNull().unique(),
    purpose: webauthnChallengePurpose("purpose").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("webauthn_challenges_user_idx").on(t.userId)],
);

// Ten single-use codes per user; only SHA-256 hashes of the 100-bit codes are stored.
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("recovery_codes_user_hash_uq").on(t.userId, t.codeHash)],
);
