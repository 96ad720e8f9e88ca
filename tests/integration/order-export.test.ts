import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, orders, users } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { runCommand } from "@/lib/core/command";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import { createRoleCommand } from "@/lib/roles/create-role";
import { streamOrderExport, type OrderExportRequest } from "@/lib/http/stream-order-export";
import { ORDER_EXPORT_BATCH } from "@/lib/orders/export-orders-csv";
import { accountOrderExportFiltersSchema, orderExportFiltersSchema } from "@/lib/orders/export-schemas";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrder, makeOrg, meta } from "../support/factories";
import { makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";

/**
 * Issue 15 item 5: CSV export of a filtered order list, scoped exactly as the list, streamed in
 * keyset batches, formula-injection safe, and recorded as orders.exported before the first row.
 */

/** RFC 4180 records, quoted fields with doubled quotes, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      endField();
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

async function exportCsv(principal: Principal, request: OrderExportRequest): Promise<{ header: string[]; rows: Record<string, string>[]; response: Response }> {
  const response = await streamOrderExport(principal, meta, request);
  const [header, ...rest] = parseCsv(await response.text());
  return { header: header!, rows: rest.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))), response };
}

const ordersOf = (filters: Record<string, unknown> = {}): OrderExportRequest => ({ list: "orders", filters: orderExportFiltersSchema.parse(filters) });

let t: Awaited<ReturnType<typeof tenant>>;
async function tenant() {
  const org = await makeOrg("Exporting Co");
  await openAccount(org.id);
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const depot = await makeBranch(org.operator, "@Depot", na.id);
  const emea = await makeBranch(org.operator, "EMEA");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const viewer = await makeMember(org.operator, { roleName: "Viewer", branchId: chicago.id });
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const colleague = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const berliner = await makeMember(org.operator, { roleName: "Buyer", branchId: emea.id });
  // orders:read-own alone: a member who sees only the orders they placed.
  await runCommand(createRoleCommand, org.operator, meta, { name: "Own orders", permissions: ["orders:read-own", "orders:create"] });
  const ownOnly = await makeMember(org.operator, { roleName: "Own orders", branchId: chicago.id });
  // Names a spreadsheet would run as formulas, and one that starts with a tab.
  await asOperator((tx) => tx.update(users).set({ name: '=HYPERLINK("http://evil.test","x")' }).where(eq(users.id, buyer.userId)));
  await asOperator((tx) => tx.update(users).set({ name: "\tTabbed, \"quoted\"" }).where(eq(users.id, colleague.userId)));
  await asOperator((tx) => tx.update(users).set({ name: "+Berliner\r" }).where(eq(users.id, berliner.userId)));
  const own = await makeOrder(org.operator, { branchId: chicago.id, buyerId: buyer.userId, number: "-10", totalMinor: 1250 });
  const colleagues = await makeOrder(org.operator, { branchId: chicago.id, buyerId: colleague.userId, number: "-CHI-2", totalMinor: 99 });
  const atDepot = await makeOrder(org.operator, { branchId: depot.id, buyerId: buyer.userId, number: "DEP-1" });
  const inEmea = await makeOrder(org.operator, { branchId: emea.id, buyerId: berliner.userId, number: "EMEA-1" });
  await makeOrder(org.operator, { branchId: chicago.id, buyerId: ownOnly.userId, number: "OWN-1" });
  const other = await makeOrg("Other Co");
  const otherBranch = await makeBranch(other.operator, "Elsewhere");
  const stranger = await makeMember(other.operator, { roleName: "Buyer", branchId: otherBranch.id });
  await makeOrder(other.operator, { branchId: otherBranch.id, buyerId: stranger.userId, number: "OTHER-1" });
  const otherAdmin = await makeMember(other.operator, { roleName: "Admin" });
  return { org, na, chicago, depot, emea, admin, manager, viewer, buyer, colleague, berliner, ownOnly, own, colleagues, atDepot, inEmea, other, otherAdmin };
}

beforeAll(async () => {
  t = await tenant();
});

describe("order list CSV export", () => {
  it("exports exactly what the list shows each reader: the manager's region, the viewer's branch, the buyer's own orders", async () => {
    const numbers = async (p: Principal, filters: Record<string, unknown> = {}) => (await exportCsv(p, ordersOf(filters))).rows.map((r) => r.number).sort();
    expect(await numbers(t.admin.principal)).toEqual(["'-CHI-2", "'-10", "DEP-1", "EMEA-1", "OWN-1"].sort());
    expect(await numbers(t.manager.principal)).toEqual(["'-CHI-2", "'-10", "DEP-1", "OWN-1"].sort());
    expect(await numbers(t.viewer.principal)).toEqual(["'-CHI-2", "'-10", "OWN-1"].sort());
    // A Buyer reads their branch's orders and their own wherever they placed them (the depot).
    expect(await numbers(t.buyer.principal)).toEqual(["'-CHI-2", "'-10", "DEP-1", "OWN-1"].sort());
    // orders:read-own alone: only the orders they placed.
    expect(await numbers(t.ownOnly.principal)).toEqual(["OWN-1"]);
    // Filters narrow, never widen: the manager asking for EMEA gets nothing; a branch filter of another org matches nothing.
    expect(await numbers(t.manager.principal, { branch: t.emea.id })).toEqual([].sort());
    expect(await numbers(t.admin.principal, { branch: t.chicago.id, status: "submitted" })).toEqual(["'-CHI-2", "'-10", "OWN-1"].sort());
    expect(await numbers(t.admin.principal, { q: "DEP" })).toEqual(["DEP-1"].sort());
    // Another org's admin sees their own org's orders only, never these.
    expect(await numbers(t.otherAdmin.principal)).toEqual(["OTHER-1"].sort());
  });

  it("prefixes every cell a spreadsheet would run (= + - @, tab, CR) and keeps amounts in the currency's units", async () => {
    const { header, rows, response } = await exportCsv(t.admin.principal, ordersOf({ sort: "number", dir: "asc" }));
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="orders-[a-z0-9-]+-\d{8}T\d{6}Z\.csv"$/);
    expect(header).toEqual(["number", "placed_at", "status", "branch", "buyer", "currency", "total"]);
    const byNumber = Object.fromEntries(rows.map((r) => [r.number, r]));
    expect(byNumber["'-10"]).toMatchObject({ buyer: `'=HYPERLINK("http://evil.test","x")`, branch: "Chicago", currency: "USD", total: "12.50" });
    expect(byNumber["'-CHI-2"]).toMatchObject({ buyer: `'\\tTabbed, "quoted"`, total: "0.99" });
    expect(byNumber["DEP-1"]).toMatchObject({ branch: "'@Depot" });
    expect(byNumber["EMEA-1"]).toMatchObject({ buyer: "'+Berliner\\r" });
    for (const row of rows) for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("streams past a batch: every matching order once, in the list's order", async () => {
    const bulk = await makeBranch(t.org.operator, "Bulk", t.emea.id);
    const count = ORDER_EXPORT_BATCH * 2 + 7;
    await asOperator((tx) =>
      tx.insert(orders).values(
        Array.from({ length: count }, (_, i) => ({ orgId: t.org.id, number: `BULK-${String(i).padStart(5, "0")}`, branchId: bulk.id, buyerId: t.berliner.userId, currency: "USD", subtotalMinor: i, totalMinor: i, placedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000) })),
      ),
    );
    const { rows } = await exportCsv(t.admin.principal, ordersOf({ branch: bulk.id, sort: "placed", dir: "asc" }));
    expect(rows).toHaveLength(count);
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: count }, (_, i) => `BULK-${String(i).padStart(5, "0")}`));
    const byTotal = await exportCsv(t.admin.principal, ordersOf({ branch: bulk.id, sort: "total", dir: "desc" }));
    expect(byTotal.rows[0]!.total).toBe(((count - 1) / 100).toFixed(2));
    expect(new Set(byTotal.rows.map((r) => r.number)).size).toBe(count);
  });

  it("is recorded as orders.exported with the filters before the download, and refused to a member who reads no orders", async () => {
    await exportCsv(t.viewer.principal, ordersOf({ status: "submitted" }));
    const events = await asOperator((tx) => tx.select().from(auditEvents).where(sql`${auditEvents.orgId} = ${t.org.id} and ${auditEvents.action} = 'orders.exported' and ${auditEvents.actorId} = ${t.viewer.userId}`));
    expect(events.at(-1)).toMatchObject({ outcome: "success", metadata: { list: "orders", filters: { status: "submitted", sort: "placed", dir: "desc" } } });

    await runCommand(createRoleCommand, t.org.operator, meta, { name: "Nothing", permissions: [] });
    const nobody = await makeMember(t.org.operator, { roleName: "Nothing" });
    await expect(streamOrderExport(nobody.principal, meta, ordersOf())).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await asOperator((tx) => tx.select().from(auditEvents).where(sql`${auditEvents.orgId} = ${t.org.id} and ${auditEvents.action} = 'access.denied' and ${auditEvents.actorId} = ${nobody.userId}`));
    expect(denied[0]?.metadata).toMatchObject({ command: "orders.exported" });
  });

  it("refuses malformed filters by name, and prototype keys", () => {
    expect(() => orderExportFiltersSchema.parse({ branch: "x" })).toThrow();
    expect(orderExportFiltersSchema.safeParse({ cursor: "abc" }).success).toBe(false);
    // A "__proto__" key (JSON.parse makes it an own key) is an unknown filter, refused.
    expect(orderExportFiltersSchema.safeParse(JSON.parse('{"__proto__": {"x": 1}}')).success).toBe(false);
  });

  it("the supplier's list across accounts: staff with orders:read only; a customer's member and staff without it are refused", async () => {
    const staff = await makeSupplierStaff("Viewer");
    const accountRequest: OrderExportRequest = { list: "account-orders", filters: accountOrderExportFiltersSchema.parse({ account: t.org.id }) };
    const { header, rows } = await exportCsv(staff.principal, accountRequest);
    expect(header).toEqual(["number", "placed_at", "status", "account", "branch", "buyer", "currency", "total"]);
    expect(rows.map((r) => r.number ?? "").filter((n) => !n.startsWith("BULK-")).sort()).toEqual(["'-10", "'-CHI-2", "DEP-1", "EMEA-1", "OWN-1"].sort());
    expect(rows.every((r) => r.account === "Exporting Co")).toBe(true);
    expect(rows.find((r) => r.number === "'-10")!.buyer).toBe(`'=HYPERLINK("http://evil.test","x")`);
    // A customer's admin asking for the supplier's list: refused, whatever they hold in their own org.
    await expect(streamOrderExport(t.admin.principal, meta, accountRequest)).rejects.toBeInstanceOf(ForbiddenError);
    await runCommand(createRoleCommand, (await makeSupplier()).operator, meta, { name: "Nothing", permissions: [] });
    const nothing = await makeSupplierStaff("Nothing");
    await expect(streamOrderExport(nothing.principal, meta, accountRequest)).rejects.toBeInstanceOf(ForbiddenError);
    // A bad filter is an error before any byte, not a truncated download.
    await expect(streamOrderExport(staff.principal, meta, { list: "account-orders", filters: { dir: "sideways" } as never })).rejects.toBeInstanceOf(ValidationError);
  });
});
