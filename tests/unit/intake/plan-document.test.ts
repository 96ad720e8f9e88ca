import { describe, expect, it } from "vitest";
import type { CanonicalOrder } from "@/lib/intake/canonical-order";
import { hashCanonicalOrder } from "@/lib/intake/normalized-hash";
import { parseX12850 } from "@/lib/intake/parse-x12-850";
import { resolveChannelRules } from "@/lib/intake/process/channel-rules";
import { ageFactor, baseImpact, impactAt, tierWeight } from "@/lib/intake/process/impact-score";
import { matchAccount } from "@/lib/intake/process/match-account";
import { toMinorUnits, toWholeQuantity } from "@/lib/intake/process/minor-units";
import { planDocument, type AccountContext, type PlanInput } from "@/lib/intake/process/plan-document";
import { readFixture } from "./fixture";

const ACCOUNT = "00000000-0000-4000-8000-00000000000a";
const OTHER = "00000000-0000-4000-8000-00000000000b";
const BRANCH = "00000000-0000-4000-8000-0000000000b1";
const SOLON = "00000000-0000-4000-8000-0000000000c1";

const account: AccountContext = {
  accountId: ACCOUNT,
  tier: "Gold",
  baseCurrency: "USD",
  currencies: ["USD", "EUR"],
  branches: [{ id: BRANCH, path: "/b1/" }],
  addresses: [{ id: SOLON, branchId: BRANCH, lines: ["31875 Solon Rd."], city: "Solon", postalCode: "44139", country: "US", isDefault: true }],
};

const catalog = new Map(["ab3542", "rd5322", "xy5266", "vx2332", "rv0524", "dx1875"].map((s) => [s, { sku: s.toUpperCase(), active: true }]));

function x12Document() {
  const parsed = parseX12850(readFixture("x12-850/node-x12_850.edi"));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.documents[0]!;
}

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  const document = overrides.document ?? x12Document();
  return {
    format: "x12-850",
    document,
    documentCount: 1,
    channel: { rules: [{}], defaultBranchId: null },
    match: document.order ? matchAccount(document.order, [{ senderId: "4405197800", accountId: ACCOUNT, branchId: null }], { accountId: null, branchId: null }) : null,
    account,
    previous: [],
    xrefs: new Map(),
    catalog,
    now: new Date("2026-12-02T12:00:00Z"),
    ...overrides,
  };
}

describe("planning a document", () => {
  it("creates the X12 sample's order in the mapped account, lines by vendor part, the ship-to matched despite spelling", () => {
    const plan = planDocument(input());
    expect(plan.documentNumber).toBe("08292233294");
    expect(plan.sender).toBe("x12-isa:4405197800");
    expect(plan.outcome.action).toBe("create");
    if (plan.outcome.action !== "create") return;
    expect(plan.outcome.order).toMatchObject({ accountId: ACCOUNT, branchId: BRANCH, currency: "USD", shipToAddressId: SOLON, preferredNumber: "08292233294" });
    expect(plan.outcome.order.lines.slice(0, 2)).toEqual([{ kind: "catalog", sku: "AB3542", quantity: 120 }, { kind: "catalog", sku: "RD5322", quantity: 220 }]);
    // AMT*1 13045.94 equals Σ quantity × price: no totals flag, so nothing holds it.
    expect(plan.flags.filter((f) => f.code === "totals-mismatch")).toEqual([]);
    expect(plan.outcome.hold).toBeNull();
    // 120×9.25 + 220×13.79 + 126×10.99 + 76×4.35 + 72×7.50 + 696×9.55 (hand-computed from the file).
    expect(plan.valueMinor).toBe(1_304_594);
  });

  it("an unmapped sender is rejected at the sender, naming the identifiers; never another account", () => {
    const document = x12Document();
    const plan = planDocument(input({ document, match: matchAccount(document.order!, [{ senderId: "someone-else", accountId: OTHER, branchId: null }], { accountId: null, branchId: null }) }));
    expect(plan.outcome).toMatchObject({ action: "rejected", reason: { code: "no-account", location: "ISA element 06" } });
    expect(plan.outcome.action === "rejected" && plan.outcome.reason.message).toContain("x12-isa:4405197800");
  });

  it("the same content again is a duplicate of the earlier document's order; other content with the same number is an update", () => {
    const document = x12Document();
    const hash = hashCanonicalOrder(document.order!);
    const orderId = "00000000-0000-4000-8000-0000000000d1";
    expect(planDocument(input({ document, previous: [{ contentHash: hash, status: "created", orderId, orderStatus: "submitted" }] })).outcome).toEqual({ action: "duplicate", orderId });
    const update = planDocument(input({ document, previous: [{ contentHash: "other", status: "created", orderId, orderStatus: "submitted" }] }));
    expect(update.outcome).toMatchObject({ action: "update", orderId });
    const late = planDocument(input({ document, previous: [{ contentHash: "other", status: "created", orderId, orderStatus: "approved" }] }));
    expect(late.outcome).toMatchObject({ action: "held", orderId, reason: { code: "update-conflict" } });
  });

  it("an unknown SKU is rejected at its PO1 element by default, kept as free text at the sender's price when the channel accepts it", () => {
    const without = new Map([...catalog].filter(([k]) => k !== "xy5266"));
    const rejected = planDocument(input({ catalog: without }));
    expect(rejected.outcome).toMatchObject({ action: "rejected", reason: { code: "unknown-sku", location: "PO1[3] element 07" } });
    expect(rejected.outcome.action === "rejected" && rejected.outcome.reason.message).toMatch(/^PO1\[3\] element 07: line 3: no product in the catalog matches part "XY5266"/);
    const accepted = planDocument(input({ catalog: without, channel: { rules: [{ unknownSku: "accept" }], defaultBranchId: null } }));
    expect(accepted.outcome.action).toBe("create");
    if (accepted.outcome.action !== "create") return;
    expect(accepted.outcome.order.lines[2]).toEqual({ kind: "free-text", sku: "XY5266", description: "LARGE WIDGET", quantity: 126, unitPriceMinor: 1099 });
    expect(accepted.flags.map((f) => f.code)).toContain("free-text-line");
  });

  it("the cross-reference maps a buyer part to our SKU first", () => {
    const plan = planDocument(input({ xrefs: new Map([["065322-117", "DX1875"]]) }));
    expect(plan.outcome.action === "create" && plan.outcome.order.lines[0]).toEqual({ kind: "catalog", sku: "DX1875", quantity: 120 });
  });

  it("a ship-to that is not the account's is held by default, rejected when the rule says so", () => {
    const other = { ...account, addresses: [{ ...account.addresses[0]!, lines: ["1 Elsewhere Ave"], postalCode: "10001", city: "New York" }] };
    const held = planDocument(input({ account: other }));
    expect(held.outcome).toMatchObject({ action: "create", hold: { code: "ship-to-unknown", location: "N1*ST" } });
    const rejected = planDocument(input({ account: other, channel: { rules: [{ shipToUnknown: "hold" }, { shipToUnknown: "reject" }], defaultBranchId: null } }));
    expect(rejected.outcome).toMatchObject({ action: "rejected", reason: { code: "ship-to-unknown" } });
  });

  it("a header total that disagrees with the lines holds, accepts or rejects per the rule", () => {
    const document = x12Document();
    const order: CanonicalOrder = { ...document.order!, claims: { ...document.order!.claims, total: "1.00" } };
    const doc = { ...document, order };
    expect(planDocument(input({ document: doc })).outcome).toMatchObject({ action: "create", hold: { code: "totals-mismatch" } });
    expect(planDocument(input({ document: doc, channel: { rules: [{ onTotalMismatch: "accept" }], defaultBranchId: null } })).outcome).toMatchObject({ action: "create", hold: null });
    expect(planDocument(input({ document: doc, channel: { rules: [{ onTotalMismatch: "reject" }], defaultBranchId: null } })).outcome).toMatchObject({ action: "rejected", reason: { code: "totals-mismatch", location: "claims.total" } });
  });

  it("a currency the account does not use, or the channel does not take, is rejected at the currency", () => {
    const document = x12Document();
    const doc = { ...document, order: { ...document.order!, currency: "JPY" } };
    expect(planDocument(input({ document: doc })).outcome).toMatchObject({ action: "rejected", reason: { code: "currency-not-allowed", location: "CUR element 02" } });
    expect(planDocument(input({ channel: { rules: [{ currencies: ["EUR"] }], defaultBranchId: null } })).outcome).toMatchObject({ action: "rejected", reason: { code: "currency-not-allowed" } });
  });

  it("a quantity that is not a whole number is rejected at PO1 element 02", () => {
    const document = x12Document();
    const lines = document.order!.lines.map((l, i) => (i === 1 ? { ...l, quantity: "2.5" } : l));
    const plan = planDocument(input({ document: { ...document, order: { ...document.order!, lines } } }));
    expect(plan.outcome).toMatchObject({ action: "rejected", reason: { code: "invalid-number", location: "PO1[2] element 02" } });
  });

  it("old dates are flagged, and hold only when the channel says so", () => {
    const plan = planDocument(input());
    expect(plan.flags.map((f) => f.code)).toContain("date-window");
    expect(plan.outcome).toMatchObject({ action: "create", hold: null });
    expect(planDocument(input({ channel: { rules: [{ onDateOutsideWindow: "hold" }], defaultBranchId: null } })).outcome).toMatchObject({ action: "create", hold: { code: "date-window" } });
  });

  it("a cancel, or an update with no original, is held for a person", () => {
    const document = x12Document();
    expect(planDocument(input({ document: { ...document, order: { ...document.order!, kind: "cancel" } } })).outcome).toMatchObject({ action: "held", reason: { code: "cancel-requested" } });
    expect(planDocument(input({ document: { ...document, order: { ...document.order!, kind: "update" } } })).outcome).toMatchObject({ action: "create", hold: { code: "update-without-original" } });
  });

  it("a document the parser could not read is rejected with the parser's reason as is", () => {
    const bad = { index: 2, flags: [], error: { code: "invalid-number" as const, location: "PO1[3] element 04", message: 'PO1[3] element 04: unit price "abc" is not a number' } };
    expect(planDocument(input({ document: bad })).outcome).toEqual({ action: "rejected", reason: bad.error });
  });
});

describe("rules, amounts and impact", () => {
  it("rules: defaults are safe, overrides layer, junk and prototype keys are ignored", () => {
    expect(resolveChannelRules()).toMatchObject({ unknownSku: "reject", onTotalMismatch: "hold", shipToUnknown: "hold" });
    const rules = resolveChannelRules({ unknown_sku: "accept", onTotalMismatch: "explode", __proto__: { shipToUnknown: "reject" } }, JSON.parse('{"constructor": "x", "dateWindowDays": {"past": 30}}'));
    expect(rules).toMatchObject({ unknownSku: "accept", onTotalMismatch: "hold", shipToUnknown: "hold", dateWindowDays: { past: 30, future: 365 } });
  });

  it("amounts become exact minor units; quantities whole units", () => {
    expect([toMinorUnits("12.5", "EUR"), toMinorUnits("1200", "JPY"), toMinorUnits("1.234", "KWD"), toMinorUnits("0.001", "USD")]).toEqual([1250, 1200, 1234, null]);
    expect([toWholeQuantity("3"), toWholeQuantity("3.000"), toWholeQuantity("2.5"), toWholeQuantity("1000001")]).toEqual([3, 3, null, null]);
  });

  it("impact = value × tier weight × (1 + days waited)", () => {
    expect(tierWeight("GOLD")).toBe(2);
    expect(tierWeight("__proto__")).toBe(1);
    expect(baseImpact(1_304_594, 2, "Gold")).toBe(26_091.88);
    expect(baseImpact(null, 2, "Standard")).toBe(1);
    const created = new Date("2026-12-01T00:00:00Z");
    expect(ageFactor(created, new Date("2026-12-03T00:00:00Z"))).toBe(3);
    expect(impactAt(10, created, new Date("2026-11-01T00:00:00Z"))).toBe(10);
  });
});
