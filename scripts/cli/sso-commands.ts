import { readFile } from "node:fs/promises";
import { ValidationError } from "@/lib/core/errors";
import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

// Loaded inside run(), like access-modules.ts, so --help skips drizzle and the schema.
const modules = async () => {
  const [command, readAs, meta, system, org, create, list, del, domain, verify, mapping, start, refs, branch] = await Promise.all([
    import("@/lib/core/command"),
    import("@/lib/core/read-as"),
    import("@/lib/core/request-meta"),
    import("@/lib/core/system-principal"),
    import("./resolve-org"),
    import("@/lib/sso/create-connection"),
    import("@/lib/sso/list-connections"),
    import("@/lib/sso/delete-connection"),
    import("@/lib/sso/add-domain"),
    import("@/lib/sso/verify-domain"),
    import("@/lib/sso/add-mapping"),
    import("@/lib/sso/start-sso"),
    import("./resolve-access-refs"),
    import("./resolve-branch"),
  ]);
  return { ...command, ...readAs, ...meta, ...system, ...org, ...create, ...list, ...del, ...domain, ...verify, ...mapping, ...start, ...refs, ...branch };
};

const orgOption = { flag: "org", value: "slug", description: "The organization", required: true };

export const createSsoConnectionCli = defineCliCommand({
  words: ["sso", "connection", "create"],
  summary: "Add an SSO connection (OIDC by discovery, or SAML 2.0) to an organization",
  options: [
    orgOption,
    { flag: "protocol", value: "oidc|saml", description: "The protocol", required: true, field: "protocol" },
    { flag: "preset", value: "okta|entra|generic", description: "How claims are read (Entra: identities by tid + oid); default generic", field: "preset" },
    { flag: "name", value: "text", description: "Shown on the chooser (default: Single sign-on)", field: "name" },
    { flag: "issuer", value: "url", description: "OIDC issuer (https), e.g. https://login.microsoftonline.com/<tenant>/v2.0", field: "issuer" },
    { flag: "client-id", value: "id", description: "OIDC client id", field: "clientId" },
    { flag: "client-secret", value: "secret", description: "OIDC client secret (sealed at rest, never printed)", field: "clientSecret" },
    { flag: "mfa", value: "idp|local", description: "Trust the IdP's amr/acr for MFA, or ask our own factor (default local; admins always ours)", field: "mfaPolicy" },
    { flag: "metadata", value: "url-or-file", description: "SAML: the IdP's metadata, an https URL or a file", field: "metadata" },
    { flag: "allow-idp-initiated", description: "SAML: also accept sign-ins started at the IdP (off by default)", field: "allowIdpInitiated" },
  ],
  examples: ["sso connection create --org acme --protocol oidc --preset okta --issuer https://acme.okta.com --client-id 0oa1 --client-secret … --json", "sso connection create --org acme --protocol saml --metadata https://idp.example.com/metadata.xml --json"],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const protocol = requiredFlag(flags, "protocol").trim();
    if (protocol === "saml") {
      const source = stringFlag(flags, "metadata");
      if (!source) throw new ValidationError({ metadata: ["a SAML connection needs --metadata (a URL or a file)"] });
      const { createSamlConnection } = await import("@/lib/sso/saml/create-saml-connection");
      const metadata = /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? { metadataUrl: source } : { metadataXml: await readMetadataFile(source) };
      const created = await createSamlConnection(m.systemPrincipal("cli", org), m.systemMeta("cli"), { ...metadata, name: stringFlag(flags, "name"), allowIdpInitiated: flags["allow-idp-initiated"] === true, mfaPolicy: stringFlag(flags, "mfa")?.trim() || undefined }, db).catch(renameMetadataErrors);
      return { human: [`Added saml connection ${created.id} to ${org.slug}; give the IdP the SP metadata ${created.metadataUrl} (entity id ${created.entityId}, ACS ${created.acsUrl}).`], json: created };
    }
    const input = {
      protocol,
      preset: stringFlag(flags, "preset")?.trim() || undefined,
      name: stringFlag(flags, "name"),
      issuer: stringFlag(flags, "issuer"),
      clientId: stringFlag(flags, "client-id"),
      clientSecret: stringFlag(flags, "client-secret"),
      mfaPolicy: stringFlag(flags, "mfa")?.trim() || undefined,
    };
    const created = await m.runCommand(m.createConnectionCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), input, db);
    const endpoint = "redirectUri" in created ? `redirect URI ${created.redirectUri}` : `ACS ${created.acsUrl}, entity id ${created.entityId}`;
    return { human: [`Added ${created.protocol} connection ${created.id} to ${org.slug}; register the ${endpoint} at the IdP.`], json: created };
  },
});

/** The metadata's URL or document both come from --metadata here: name that flag in errors. */
function renameMetadataErrors(error: unknown): never {
  if (!(error instanceof ValidationError)) throw error;
  const renamed = Object.fromEntries(Object.entries(error.fieldErrors).map(([field, reasons]) => [field === "metadataUrl" || field === "metadataXml" ? "metadata" : field, reasons]));
  throw new ValidationError(renamed);
}

/** A metadata file's text, with a plain error for a missing or unreadable file. */
async function readMetadataFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new ValidationError({ metadata: [`could not read the file ${path}; give an https URL or a readable metadata file`] });
  }
}

export const listSsoConnectionsCli = defineCliCommand({
  words: ["sso", "connection", "list"],
  summary: "List an organization's SSO connections, domains and mapping rules",
  options: [orgOption],
  examples: ["sso connection list --org acme --json"],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const operator = m.systemPrincipal("cli", org);
    const settings = await m.readAs(operator, (tx) => m.listSsoSettings(tx, operator), db);
    const human = settings.connections.length
      ? settings.connections.map((c) => {
          const domains = settings.domains.filter((d) => d.connectionId === c.id).map((d) => `${d.domain}${d.verified ? "" : " (unverified)"}`);
          return `  ${c.id}  ${c.protocol} ${c.preset}  ${c.name}  ${c.issuer ?? ""}  ${domains.join(", ") || "(no domains)"}${c.enabled ? "" : "  (disabled)"}`;
        })
      : [`No SSO connections in ${org.slug}.`];
    return { human, json: settings };
  },
});

export const testSsoConnectionCli = defineCliCommand({
  words: ["sso", "connection", "test"],
  summary: "Start a test of a connection: open the printed URL, sign in at the IdP, see the claims (nobody is signed in)",
  options: [orgOption, { flag: "connection", value: "id", description: "The connection", required: true, field: "connectionId" }],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const started = await m.runCommand(m.testConnectionCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), { connectionId: requiredFlag(flags, "connection").trim() }, db);
    return { human: [`Open this URL in a browser to test the connection:`, started.redirectUrl], json: started };
  },
});

export const deleteSsoConnectionCli = defineCliCommand({
  words: ["sso", "connection", "delete"],
  summary: "Delete an SSO connection (its domains stay verified and owned)",
  options: [orgOption, { flag: "connection", value: "id", description: "The connection", required: true, field: "connectionId" }],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const deleted = await m.runCommand(m.deleteConnectionCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), { connectionId: requiredFlag(flags, "connection").trim() }, db);
    return { human: [`Deleted connection ${deleted.id} from ${org.slug}.`], json: deleted };
  },
});

export const addSsoDomainCli = defineCliCommand({
  words: ["sso", "domain", "add"],
  summary: "Claim an email domain for a connection; verify it by DNS TXT, or at once with --verified-by-operator",
  options: [
    orgOption,
    { flag: "connection", value: "id", description: "The connection people at this domain are sent to", field: "connectionId" },
    { flag: "domain", value: "name", description: "The email domain, e.g. acme.com", required: true, field: "domain" },
    { flag: "verified-by-operator", description: "The operator vouches for the domain (air-gapped installs); audited" },
  ],
  examples: ["sso domain add --org acme --connection 0b7c… --domain acme.com", "sso domain add --org acme --connection 0b7c… --domain acme.test --verified-by-operator"],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const input = { connectionId: stringFlag(flags, "connection")?.trim() || null, domain: requiredFlag(flags, "domain"), verifiedByOperator: flags["verified-by-operator"] === true };
    const added = await m.runCommand(m.addDomainCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), input, db);
    const human = added.verified ? [`${added.domain} is verified for ${org.slug} (operator override).`] : [`Publish this TXT record, then run sso domain verify --org ${org.slug} --domain-id ${added.id}:`, `  ${added.txtRecord.name}  TXT  "${added.txtRecord.value}"`];
    return { human, json: added };
  },
});

export const verifySsoDomainCli = defineCliCommand({
  words: ["sso", "domain", "verify"],
  summary: "Check a claimed domain's DNS TXT record and verify it",
  options: [orgOption, { flag: "domain-id", value: "id", description: "The claimed domain (see sso domain add or sso connection list)", required: true, field: "domainId" }],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const verified = await m.runCommand(m.verifyDomainCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), { domainId: requiredFlag(flags, "domain-id").trim() }, db);
    return { human: [`${verified.domain} is verified for ${org.slug}.`], json: verified };
  },
});

export const addSsoMappingCli = defineCliCommand({
  words: ["sso", "mapping", "add"],
  summary: "Map an IdP claim value (a group) to a role at a branch, re-applied at every sign-in",
  options: [
    orgOption,
    { flag: "connection", value: "id", description: "The connection", required: true, field: "connectionId" },
    { flag: "claim", value: "name", description: "The claim, e.g. groups", required: true, field: "claim" },
    { flag: "value", value: "text", description: "The value the claim must hold", required: true, field: "value" },
    { flag: "role", value: "role", description: "The role, by name or id", required: true, field: "roleId" },
    { flag: "branch", value: "branch", description: "The branch, by name or id (default: the whole organization)", field: "branchId" },
  ],
  examples: ["sso mapping add --org acme --connection 0b7c… --claim groups --value buyers --role Buyer --branch Chicago"],
  async run({ flags, db }) {
    const m = await modules();
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const role = await m.resolveRole(db, org, requiredFlag(flags, "role"), { flag: "role", field: "roleId" });
    const branchFlag = stringFlag(flags, "branch");
    const branch = branchFlag === undefined ? null : await m.resolveBranch(db, org, branchFlag, { flag: "branch", field: "branchId" });
    const input = { connectionId: requiredFlag(flags, "connection").trim(), claim: requiredFlag(flags, "claim"), value: requiredFlag(flags, "value"), roleId: role.id, branchId: branch?.id ?? null };
    const { id } = await m.runCommand(m.addMappingCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), input, db);
    return { human: [`People whose ${input.claim} holds "${input.value}" get ${role.name} ${branch ? `at ${branch.name}` : "for the whole organization"} (rule ${id}).`], json: { id, ...input, role: role.name } };
  },
});

export const linkSsoIdentityCli = defineCliCommand({
  words: ["sso", "identity", "link"],
  summary: "Link an existing account the org owns to an identity at one of its connections (SSO never links by email itself)",
  options: [
    orgOption,
    { flag: "connection", value: "id", description: "The connection", required: true, field: "connectionId" },
    { flag: "subject", value: "sub", description: "The identity's subject at the IdP (Entra: tid:oid)", required: true, field: "subject" },
    { flag: "email", value: "email", description: "The member's account", required: true, field: "email" },
  ],
  async run({ flags, db }) {
    const m = await modules();
    const { linkIdentityCommand } = await import("@/lib/sso/link-identity");
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const input = { connectionId: requiredFlag(flags, "connection").trim(), subject: requiredFlag(flags, "subject"), email: requiredFlag(flags, "email") };
    const linked = await m.runCommand(linkIdentityCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), input, db);
    return { human: [`Linked ${input.email} to ${input.subject} at connection ${input.connectionId}.`], json: linked };
  },
});

export const unlinkSsoIdentityCli = defineCliCommand({
  words: ["sso", "identity", "unlink"],
  summary: "Remove a member's identity at one of the org's connections, and the grants that connection's rules gave them (never an account's last way to sign in)",
  options: [
    orgOption,
    { flag: "connection", value: "id", description: "The connection", required: true, field: "connectionId" },
    { flag: "email", value: "email", description: "The member's account", required: true, field: "email" },
  ],
  examples: ["sso identity unlink --org acme --connection 0b7c… --email jo@acme.test"],
  async run({ flags, db }) {
    const m = await modules();
    const { and, eq, sql } = await import("drizzle-orm");
    const { ssoIdentities, users } = await import("@/db/schema");
    const { NotFoundError } = await import("@/lib/core/errors");
    const { unlinkIdentityCommand } = await import("@/lib/sso/unlink-identity");
    const org = await m.resolveOrg(db, requiredFlag(flags, "org"));
    const connectionId = requiredFlag(flags, "connection").trim();
    const email = requiredFlag(flags, "email").trim();
    // The identity the flags name, in this org only (the command checks ownership and the rest).
    const [found] = await db
      .select({ id: ssoIdentities.id })
      .from(ssoIdentities)
      .innerJoin(users, eq(users.id, ssoIdentities.userId))
      .where(and(eq(ssoIdentities.orgId, org.id), sql`${ssoIdentities.connectionId}::text = ${connectionId}`, eq(sql`lower(${users.email})`, email.toLowerCase())));
    if (!found) throw new NotFoundError(`--email: an identity of "${email}" at connection "${connectionId}" of organization "${org.slug}"`);
    const unlinked = await m.runCommand(unlinkIdentityCommand, m.systemPrincipal("cli", org), m.systemMeta("cli"), { identityId: found.id }, db);
    return { human: [`Unlinked ${email} from connection ${connectionId}${unlinked.grantsRemoved ? `; removed ${unlinked.grantsRemoved} grant(s) its rules gave` : ""}.`], json: unlinked };
  },
});
