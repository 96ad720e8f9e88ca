import { checkHeaderClaims } from "../check-header-claims";
import type { CanonicalOrder } from "../canonical-order";
import { hashCanonicalOrder } from "../normalized-hash";
import type { IntakeFormat } from "../parse-payload";
import type { ParsedDocument } from "../parse-result";
import { resolveChannelRules, type ChannelRules } from "./channel-rules";
import { headerLocation } from "./line-location";
import { senderKeyOf, type AccountMatch } from "./match-account";
import { addressMatches, hasAddress, type BranchAddress } from "./match-ship-to";
import { toMinorUnits } from "./minor-units";
import { planIssue, type PlanIssue } from "./plan-issue";
import { resolveLines, type CatalogEntry, type PlanLine } from "./resolve-lines";

// One document → what the inbox does with it, decided without the database (the worker loads what this
// needs first). The order of the checks is the order a person would ask: whose is it, have we seen it,
// can every line be an order line, may this account order in this currency, then the rules that hold
// an order for a person (ship-to, header totals, dates). Nothing here is ever silently overwritten.

export type DocumentStatus = "created" | "updated" | "duplicate" | "held" | "rejected" | "dead_letter";

export type AccountContext = {
  accountId: string;
  tier: string;
  baseCurrency: string | null;
  currencies: readonly string[];
  branches: ReadonlyArray<{ id: string; path: string }>;
  addresses: readonly BranchAddress[];
};

/** Earlier documents of this channel and sender with the same document number, newest first. */
export type PreviousDocument = { contentHash: string; status: DocumentStatus; orderId: string | null; orderStatus: string | null };

export type PlanInput = {
  format: IntakeFormat;
  document: ParsedDocument;
  documentCount: number;
  inArray?: boolean;
  /** The channel's rules, then the matched mapping's overrides. */
  channel: { rules: unknown[]; defaultBranchId: string | null };
  match: AccountMatch | null;
  account: AccountContext | null;
  previous: readonly PreviousDocument[];
  xrefs: ReadonlyMap<string, string>;
  catalog: ReadonlyMap<string, CatalogEntry>;
  now: Date;
};

export type OrderPlan = {
  accountId: string;
  branchId: string;
  currency: string;
  shipToAddressId: string | null;
  requestedDeliveryDate: string | null;
  note: string;
  preferredNumber: string;
  lines: PlanLine[];
};

export type PlanOutcome =
  | { action: "create"; order: OrderPlan; hold: PlanIssue | null }
  | { action: "update"; orderId: string; order: OrderPlan; hold: PlanIssue | null }
  | { action: "duplicate"; orderId: string | null }
  | { action: "held"; orderId: string | null; reason: PlanIssue }
  | { action: "rejected"; reason: PlanIssue };

export type DocumentPlan = {
  index: number;
  documentNumber: string | null;
  sender: string;
  contentHash: string | null;
  accountId: string | null;
  currency: string | null;
  /** The payload's own value (Σ quantity × price) in minor units, for the impact of a dead letter. */
  valueMinor: number | null;
  flags: PlanIssue[];
  outcome: PlanOutcome;
};

const UPDATABLE = new Set(["draft", "submitted"]);

export function planDocument(input: PlanInput): DocumentPlan {
  const { document } = input;
  const order = document.order;
  const base = { index: document.index, flags: document.flags.map((f) => ({ ...f })) as PlanIssue[] };
  if (!order) {
    const reason = document.error ?? planIssue("unexpected", "", "the document could not be read");
    return { ...base, documentNumber: null, sender: "", contentHash: null, accountId: null, currency: null, valueMinor: null, outcome: { action: "rejected", reason } };
  }
  const contentHash = hashCanonicalOrder(order);
  const currency = order.currency ?? input.account?.baseCurrency ?? null;
  const plan: DocumentPlan = {
    ...base,
    documentNumber: order.documentNumber,
    sender: senderKeyOf(order),
    contentHash,
    accountId: input.match?.accountId ?? null,
    currency,
    valueMinor: currency ? payloadValue(order, currency) : null,
    outcome: { action: "rejected", reason: planIssue("unexpected", "", "not planned") },
  };
  plan.outcome = decide(input, order, contentHash, currency, plan.flags);
  return plan;
}

function decide(input: PlanInput, order: CanonicalOrder, contentHash: string, currency: string | null, flags: PlanIssue[]): PlanOutcome {
  const { format, match, account } = input;
  const where = (field: Parameters<typeof headerLocation>[1]) => headerLocation(format, field, input.document.index, input.inArray ?? input.documentCount > 1);
  if (!match || !account) {
    const ids = order.senders.map((s) => `${s.scheme}:${s.value}`).join(", ") || "none";
    return { action: "rejected", reason: planIssue("no-account", where("sender"), `no account is mapped on this channel for the sender (identifiers: ${ids}); add one with intake mapping add`) };
  }
  const same = input.previous.find((p) => p.contentHash === contentHash);
  if (same) return { action: "duplicate", orderId: same.orderId };
  const target = input.previous.find((p) => p.orderId !== null);

  if (order.kind === "cancel") {
    return { action: "held", orderId: target?.orderId ?? null, reason: planIssue("cancel-requested", "", `the sender asks to cancel order ${order.documentNumber}; a person decides`) };
  }
  if (target && !UPDATABLE.has(target.orderStatus ?? "")) {
    return { action: "held", orderId: target.orderId, reason: planIssue("update-conflict", "", `order ${order.documentNumber} was sent again with other content, but the order is already ${target.orderStatus ?? "gone"}; a person resolves it`) };
  }

  const rules = resolveChannelRules(...input.channel.rules);
  if (!currency) return { action: "rejected", reason: planIssue("missing", where("currency"), "the order names no currency and the account has no base currency") };
  if (!account.currencies.includes(currency) || (rules.currencies.length > 0 && !rules.currencies.includes(currency))) {
    const allowed = rules.currencies.length ? account.currencies.filter((c) => rules.currencies.includes(c)) : account.currencies;
    return { action: "rejected", reason: planIssue("currency-not-allowed", where("currency"), `${currency} is not a currency this channel takes for the account (${allowed.join(", ") || "none"})`) };
  }

  const resolved = resolveLines(order.lines, {
    format, documentIndex: input.document.index, inArray: input.inArray ?? input.documentCount > 1, currency, rules, xrefs: input.xrefs, catalog: input.catalog,
  });
  if ("error" in resolved) return { action: "rejected", reason: resolved.error };
  flags.push(...resolved.flags);

  const place = placeOrder(input, order, account, where("shipTo"));
  if ("error" in place) return { action: "rejected", reason: place.error };
  const holds: PlanIssue[] = resolved.flags.filter((f) => f.code === "no-price");
  if (place.flag) {
    flags.push(place.flag);
    if (rules.shipToUnknown === "reject") return { action: "rejected", reason: place.flag };
    if (rules.shipToUnknown === "hold") holds.push(place.flag);
  }

  const claimFlags = checkHeaderClaims(order).filter((f) => f.code === "count-mismatch")
    .map((f) => planIssue("totals-mismatch", f.location, f.message.replace(`${f.location}: `, "")));
  if (claimFlags.length) {
    flags.push(...claimFlags);
    if (rules.onTotalMismatch === "reject") return { action: "rejected", reason: claimFlags[0]! };
    if (rules.onTotalMismatch === "hold") holds.push(claimFlags[0]!);
  }

  const dateFlags = checkDates(order, rules, input.now, where("orderDate"));
  flags.push(...dateFlags);
  if (dateFlags.length && rules.onDateOutsideWindow === "reject") return { action: "rejected", reason: dateFlags[0]! };
  if (rules.onDateOutsideWindow === "hold") holds.push(...dateFlags);

  if (order.kind === "update" && !target) {
    const flag = planIssue("update-without-original", "", `an update of order ${order.documentNumber} arrived, but this channel never received the original; held for a person`);
    flags.push(flag);
    holds.push(flag);
  }

  const plan: OrderPlan = {
    accountId: account.accountId,
    branchId: place.branchId,
    currency,
    shipToAddressId: place.addressId,
    requestedDeliveryDate: order.requestedDelivery?.latest ?? order.requestedDelivery?.earliest ?? null,
    note: noteOf(order),
    preferredNumber: order.documentNumber,
    lines: resolved.lines,
  };
  const hold = holds[0] ?? null;
  return target ? { action: "update", orderId: target.orderId!, order: plan, hold } : { action: "create", order: plan, hold };
}

/** The branch and ship-to address: a mapped branch first, then the address the payload names. */
function placeOrder(input: PlanInput, order: CanonicalOrder, account: AccountContext, location: string): { branchId: string; addressId: string | null; flag: PlanIssue | null } | { error: PlanIssue } {
  const inAccount = (id: string | null) => (id && account.branches.some((b) => b.id === id) ? id : null);
  const fixed = inAccount(input.match!.branchId) ?? inAccount(input.match!.matchedBy === "channel default" ? input.channel.defaultBranchId : null);
  const sent = input.match!.shipToMapped ? undefined : order.shipTo?.address;
  if (hasAddress(sent)) {
    const candidates = account.addresses.filter((a) => !fixed || a.branchId === fixed);
    const hit = candidates.find((a) => addressMatches(sent, a));
    if (hit) return { branchId: hit.branchId, addressId: hit.id, flag: null };
  }
  const branchId = fixed ?? (account.branches.length === 1 ? account.branches[0]!.id : null);
  if (!branchId) return { error: planIssue("no-branch", location, "the ship-to matches no branch of the account and the mapping names none; map the sender or ship-to to a branch") };
  const fallback = account.addresses.find((a) => a.branchId === branchId && a.isDefault) ?? account.addresses.find((a) => a.branchId === branchId);
  const flag = hasAddress(sent)
    ? planIssue("ship-to-unknown", location, `the ship-to address (${[...sent.lines, sent.postalCode, sent.city].filter(Boolean).join(", ").slice(0, 120)}) is not one of the branch's addresses`)
    : null;
  return { branchId, addressId: fallback?.id ?? null, flag };
}

function checkDates(order: CanonicalOrder, rules: ChannelRules, now: Date, location: string): PlanIssue[] {
  const day = 86_400_000;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const { past, future } = rules.dateWindowDays;
  const flags: PlanIssue[] = [];
  if (order.orderDate) {
    const t = Date.parse(`${order.orderDate}T00:00:00Z`);
    if (today - t > past * day) flags.push(planIssue("date-window", location, `the order date ${order.orderDate} is more than ${past} days ago`));
    else if (t - today > future * day) flags.push(planIssue("date-window", location, `the order date ${order.orderDate} is more than ${future} days ahead`));
  }
  const latest = order.requestedDelivery?.latest ?? order.requestedDelivery?.earliest;
  if (latest) {
    const t = Date.parse(`${latest}T00:00:00Z`);
    // A delivery asked for yesterday may be a time zone away from today; before that it is in the past.
    if (t < today - day) flags.push(planIssue("date-window", "requestedDelivery", `the requested delivery ${latest} is in the past`));
    else if (t - today > future * day) flags.push(planIssue("date-window", "requestedDelivery", `the requested delivery ${latest} is more than ${future} days ahead`));
  }
  return flags;
}

function noteOf(order: CanonicalOrder): string {
  const parts = [order.reference ? `Ref ${order.reference}` : "", ...order.notes].filter(Boolean);
  return parts.join("\n").slice(0, 2000);
}

/** Σ quantity × unit price from the payload, in minor units; null when a price is missing or unreadable. */
function payloadValue(order: CanonicalOrder, currency: string): number | null {
  let total = 0;
  for (const line of order.lines) {
    if (line.unitPrice === undefined) return null;
    const price = toMinorUnits(line.unitPrice, currency);
    const quantity = Number(line.quantity);
    if (price === null || !Number.isFinite(quantity)) return null;
    total += Math.round(price * quantity / Number(line.priceBasisQuantity ?? "1"));
    if (!Number.isSafeInteger(total)) return null;
  }
  return total;
}
