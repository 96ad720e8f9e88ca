import { ValidationError } from "@/lib/core/errors";
import { defineCliCommand, requiredFlag, stringFlag, type CliFlags } from "./define-cli-command";

// Loaded inside run(), so --help skips drizzle and the schema.
const modules = async () => {
  const [command, meta, system, supplier, create, disable, rules, addMapping, removeMapping, addXref, removeXref, schemas] = await Promise.all([
    import("@/lib/core/command"),
    import("@/lib/core/request-meta"),
    import("@/lib/core/system-principal"),
    import("@/lib/accounts/find-supplier"),
    import("@/lib/intake/channels/create-channel"),
    import("@/lib/intake/channels/disable-channel"),
    import("@/lib/intake/channels/change-rules"),
    import("@/lib/intake/channels/add-mapping"),
    import("@/lib/intake/channels/remove-mapping"),
    import("@/lib/intake/channels/add-xref"),
    import("@/lib/intake/channels/remove-xref"),
    import("@/lib/intake/channels/schemas"),
  ]);
  return { ...command, ...meta, ...system, ...supplier, ...create, ...disable, ...rules, ...addMapping, ...removeMapping, ...addXref, ...removeXref, ...schemas };
};

type Modules = Awaited<ReturnType<typeof modules>>;

/** The operator acting for the supplier: intake is the supplier's, so there is nobody else to act for. */
async function supplierOperator(m: Modules, db: Parameters<Modules["findSupplier"]>[0], slug?: string) {
  const supplier = await m.findSupplier(db);
  if (!supplier) throw new ValidationError({ org: ["there is no supplier yet: run `supplier create` first"] });
  if (slug !== undefined && slug.trim() !== supplier.slug) throw new ValidationError({ org: [`"${slug.trim()}" is not the supplier: channels belong to the supplier (${supplier.slug})`] });
  return m.systemPrincipal("cli", supplier);
}

/** A whole-number flag, or a validation error naming it. */
function intFlag(flags: CliFlags, flag: string, field: string): number | undefined {
  const text = stringFlag(flags, flag);
  if (text === undefined) return undefined;
  if (!/^\d{1,12}$/.test(text.trim())) throw new ValidationError({ [field]: [`--${flag} must be a whole number, not "${text}"`] });
  return Number(text.trim());
}

function ruleFlags(flags: CliFlags): Record<string, unknown> {
  const rules: Record<string, unknown> = {};
  const unknownSku = stringFlag(flags, "unknown-sku");
  const onTotalMismatch = stringFlag(flags, "on-total-mismatch");
  const shipToUnknown = stringFlag(flags, "ship-to-unknown");
  const currencies = stringFlag(flags, "currencies");
  if (unknownSku !== undefined) rules.unknownSku = unknownSku.trim();
  if (onTotalMismatch !== undefined) rules.onTotalMismatch = onTotalMismatch.trim();
  if (shipToUnknown !== undefined) rules.shipToUnknown = shipToUnknown.trim();
  if (currencies !== undefined) rules.currencies = currencies.split(",").map((c) => c.trim());
  return rules;
}

const ruleOptions = [
  { flag: "unknown-sku", value: "reject|accept", description: "A line whose SKU is not in the catalog: reject (default) or accept as free text", field: "rules.unknownSku" },
  { flag: "on-total-mismatch", value: "hold|accept|reject", description: "Header total differs from the lines: hold (default), accept or reject", field: "rules.onTotalMismatch" },
  { flag: "ship-to-unknown", value: "reject|hold", description: "Ship-to is not one of the account's addresses: reject (default) or hold", field: "rules.shipToUnknown" },
  { flag: "currencies", value: "EUR,USD", description: "Allowed currencies (default: the account's own)", field: "rules.currencies" },
];

export const createIntakeChannelCli = defineCliCommand({
  words: ["intake", "channel", "create"],
  summary: "Add an order intake channel to the supplier; prints its url, token (and secret) once",
  options: [
    { flag: "org", value: "supplier-slug", description: "The supplier organization", required: true, field: "org" },
    { flag: "format", value: "json|csv|x12-850|cxml|ubl|edifact|shopify", description: "The payload format", required: true, field: "format" },
    { flag: "name", value: "name", description: "Shown on the Intake page", required: true, field: "name" },
    { flag: "default-account", value: "account-slug", description: "The account for payloads whose sender has no mapping", field: "defaultAccount" },
    { flag: "default-branch", value: "branch-id", description: "The default account's branch for those payloads", field: "defaultBranchId" },
    ...ruleOptions,
    { flag: "max-body-bytes", value: "n", description: "Body size limit (default 1048576); larger payloads get 413", field: "maxBodyBytes" },
    { flag: "max-depth", value: "n", description: "Open messages past which acceptance answers 429 (default 10000)", field: "maxDepth" },
    { flag: "secret", value: "secret", description: "cxml/shopify: the partner's shared secret (Shopify's webhook key); generated when left out", field: "secret" },
  ],
  details: ["Send payloads with `Authorization: Bearer <token>` (Shopify: the X-Shopify-Hmac-Sha256 header over the raw body; cXML: the SharedSecret inside the document)."],
  examples: ["intake channel create --org northwind --format x12-850 --name \"Acme EDI\" --default-account acme --unknown-sku reject --json"],
  async run({ flags, db }) {
    const m = await modules();
    const principal = await supplierOperator(m, db, requiredFlag(flags, "org"));
    const input = {
      name: requiredFlag(flags, "name"),
      format: requiredFlag(flags, "format").trim(),
      defaultAccount: stringFlag(flags, "default-account"),
      defaultBranchId: stringFlag(flags, "default-branch")?.trim(),
      rules: ruleFlags(flags),
      maxBodyBytes: intFlag(flags, "max-body-bytes", "maxBodyBytes"),
      maxDepth: intFlag(flags, "max-depth", "maxDepth"),
      secret: stringFlag(flags, "secret"),
    };
    const channel = await m.runCommand(m.createChannelCommand, principal, m.systemMeta("cli"), input, db);
    return {
      human: [`Created the ${input.format} channel "${input.name}" (id ${channel.id}).`, `URL: ${channel.url}`, `Token (shown once): ${channel.token}`, ...(channel.secret ? [`Secret (shown once): ${channel.secret}`] : [])],
      json: channel,
    };
  },
});

export const disableIntakeChannelCli = defineCliCommand({
  words: ["intake", "channel", "disable"],
  summary: "Stop a channel accepting payloads (what it accepted is still processed)",
  options: [{ flag: "channel", value: "id", description: "The channel", required: true, field: "channelId" }],
  async run({ flags, db }) {
    const m = await modules();
    const result = await m.runCommand(m.disableChannelCommand, await supplierOperator(m, db), m.systemMeta("cli"), { channelId: requiredFlag(flags, "channel").trim() }, db);
    return { human: [`Disabled the channel ${result.id}.`], json: result };
  },
});

export const setIntakeRulesCli = defineCliCommand({
  words: ["intake", "rules", "set"],
  summary: "Replace a channel's validation rules, or one account's overrides on it (rules left out go back to their defaults)",
  options: [
    { flag: "channel", value: "id", description: "The channel", required: true, field: "channelId" },
    { flag: "account", value: "slug", description: "Only this account's overrides (it must have a mapping on the channel)", field: "account" },
    ...ruleOptions,
  ],
  async run({ flags, db }) {
    const m = await modules();
    const input = { channelId: requiredFlag(flags, "channel").trim(), account: stringFlag(flags, "account")?.trim(), rules: ruleFlags(flags) };
    const result = await m.runCommand(m.changeRulesCommand, await supplierOperator(m, db), m.systemMeta("cli"), input, db);
    return { human: [`Rules of channel ${result.channelId}${result.account ? ` for ${result.account}` : ""}: ${JSON.stringify(result.rules)} (changed: ${result.changed.join(", ") || "nothing"}).`], json: result };
  },
});

export const addIntakeMappingCli = defineCliCommand({
  words: ["intake", "mapping", "add"],
  summary: "Map a sender id (ISA/GS id, cXML From identity, Peppol endpoint, GLN, Shopify shop) to an account",
  options: [
    { flag: "channel", value: "id", description: "The channel", required: true, field: "channelId" },
    { flag: "sender", value: "id", description: "The sender or party identifier as the payload carries it", required: true, field: "senderId" },
    { flag: "account", value: "slug", description: "The customer account its orders belong to", required: true, field: "account" },
    { flag: "branch", value: "id", description: "The account's branch the orders are placed at (default: its root)", field: "branchId" },
  ],
  examples: ["intake mapping add --channel 7c9e… --sender ZZ:ACMEBUYER --account acme --branch 3f1a…"],
  async run({ flags, db }) {
    const m = await modules();
    const input = { channelId: requiredFlag(flags, "channel").trim(), senderId: requiredFlag(flags, "sender"), account: requiredFlag(flags, "account").trim(), branchId: stringFlag(flags, "branch")?.trim() };
    const result = await m.runCommand(m.addMappingCommand, await supplierOperator(m, db), m.systemMeta("cli"), input, db);
    return { human: [`Mapped sender "${result.senderId}" to account ${input.account}.`], json: result };
  },
});

export const removeIntakeMappingCli = defineCliCommand({
  words: ["intake", "mapping", "remove"],
  summary: "Remove a sender id's mapping",
  options: [
    { flag: "channel", value: "id", description: "The channel", required: true, field: "channelId" },
    { flag: "sender", value: "id", description: "The sender id", required: true, field: "senderId" },
  ],
  async run({ flags, db }) {
    const m = await modules();
    const result = await m.runCommand(m.removeMappingCommand, await supplierOperator(m, db), m.systemMeta("cli"), { channelId: requiredFlag(flags, "channel").trim(), senderId: requiredFlag(flags, "sender") }, db);
    return { human: [`Removed the mapping ${result.id}.`], json: result };
  },
});

export const addIntakeXrefCli = defineCliCommand({
  words: ["intake", "xref", "add"],
  summary: "Cross-reference a buyer part number to one of our SKUs, for one account on a channel",
  options: [
    { flag: "channel", value: "id", description: "The channel", required: true, field: "channelId" },
    { flag: "account", value: "slug", description: "The account whose part number it is", required: true, field: "account" },
    { flag: "part", value: "buyer-part", description: "The buyer's (or vendor's) part number, exactly as sent", required: true, field: "buyerPart" },
    { flag: "sku", value: "sku", description: "Our SKU", required: true, field: "sku" },
  ],
  examples: ["intake xref add --channel 7c9e… --account acme --part 0084691 --sku WID-1"],
  async run({ flags, db }) {
    const m = await modules();
    const input = { channelId: requiredFlag(flags, "channel").trim(), account: requiredFlag(flags, "account").trim(), buyerPart: requiredFlag(flags, "part"), sku: requiredFlag(flags, "sku") };
    const result = await m.runCommand(m.addXrefCommand, await supplierOperator(m, db), m.systemMeta("cli"), input, db);
    return { human: [`Part "${result.buyerPart}" of ${input.account} is SKU ${result.sku}.`], json: result };
  },
});

export const removeIntakeXrefCli = defineCliCommand({
  words: ["intake", "xref", "remove"],
  summary: "Remove a buyer part number's cross-reference",
  options: [
    { flag: "channel", value: "id", description: "The channel", required: true, field: "channelId" },
    { flag: "account", value: "slug", description: "The account", required: true, field: "account" },
    { flag: "part", value: "buyer-part", description: "The buyer's part number", required: true, field: "buyerPart" },
  ],
  async run({ flags, db }) {
    const m = await modules();
    const input = { channelId: requiredFlag(flags, "channel").trim(), account: requiredFlag(flags, "account").trim(), buyerPart: requiredFlag(flags, "part") };
    const result = await m.runCommand(m.removeXrefCommand, await supplierOperator(m, db), m.systemMeta("cli"), input, db);
    return { human: [`Removed the cross-reference ${result.id}.`], json: result };
  },
});
