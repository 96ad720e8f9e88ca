import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

// Loaded inside run(), like sso-commands.ts, so --help skips drizzle and the schema.
const modules = async () => {
  const [command, readAs, meta, system, org, create, list, revoke] = await Promise.all([
    import("@/lib/core/command"),
    import("@/lib/core/read-as"),
    import("@/lib/core/request-meta"),
    import("@/lib/core/system-principal"),
    import("./resolve-org"),
    import("@/lib/scim/tokens/create-scim-token"),
    import("@/lib/scim/tokens/list-scim-tokens"),
    import("@/lib/scim/tokens/revoke-scim-token"),
  ]);
  return { ...command, ...readAs, ...meta, ...system, ...org, ...create, ...list, ...revoke };
};

const orgOption = { flag: "org", value: "slug", description: "The organization", required: true };

export const createScimTokenCli = defineCliCommand({
  words: ["scim", "token", "create"],
  summary: "Issue a SCIM 2.0 bearer token for an organization's IdP (printed once)",
  options: [orgOption, { flag: "name", value: "name", description: 'Label to recognize the token by (default "SCIM")', field: "name" }],
  details: ["Give the IdP the base URL <APP_URL>/api/scim/v2 and this token. Only a hash is stored: copy it now."],
  examples: ["scim token create --org acme --json", 'scim token create --org acme --name "Okta"'],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const created = await m.runCommand(m.createScimTokenCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), { name: stringFlag(flags, "name") }, db);
    return {
      human: [`Created SCIM token ${created.prefix}... "${created.name}" for ${org.slug} (id ${created.id}):`, "", created.token, "", "Copy it now: it will not be shown again."],
      json: { token: created.token, id: created.id, prefix: created.prefix, name: created.name },
    };
  },
});

export const listScimTokensCli = defineCliCommand({
  words: ["scim", "token", "list"],
  summary: "List an organization's SCIM tokens (never their secrets)",
  options: [orgOption],
  examples: ["scim token list --org acme --json"],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const operator = m.systemPrincipal("cli", org);
    const tokens = await m.readAs(operator, (tx) => m.listScimTokens(tx, operator), db);
    const human = tokens.length
      ? tokens.map((t) => `  ${t.id}  ${t.prefix}...  ${t.name}  last used ${t.lastUsedAt?.toISOString() ?? "never"}${t.revokedAt ? "  (revoked)" : ""}`)
      : [`No SCIM tokens in ${org.slug}.`];
    return { human, json: tokens };
  },
});

export const revokeScimTokenCli = defineCliCommand({
  words: ["scim", "token", "revoke"],
  summary: "Revoke a SCIM token: the IdP's next request with it is refused",
  options: [orgOption, { flag: "token", value: "id", description: "The token's id (from scim token list)", required: true, field: "tokenId" }],
  examples: ["scim token revoke --org acme --token 3f0c…"],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const revoked = await m.runCommand(m.revokeScimTokenCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), { tokenId: requiredFlag(flags, "token").trim() }, db);
    return { human: [`Revoked SCIM token ${revoked.id} in ${org.slug}.`], json: revoked };
  },
});
