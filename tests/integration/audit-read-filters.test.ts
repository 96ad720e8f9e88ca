import { readAs } from "@/lib/core/read-as";
import { describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/v1/audit/events/route";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditEventPageSchema, auditListQuerySchema, type AuditEvent } from "@/lib/audit/schemas";
import { runCommand } from "@/lib/core/command";
import { HiddenTargetError } from "@/lib/core/errors";
import { createOrderCommand } from "@/lib/orders/create-order";
import { makeBranch, makeMember, meta } from "../support/factories";
import { apiRequest, buildAuditedOrg, expectProblem, issueToken } from "./audit-read-fixtures";

type Built = Awaited<ReturnType<typeof buildAuditedOrg>>;

/** The org of buildAuditedOrg plus an admin who acts, and a refused order: something for every filter. */
async function buildBusyOrg() {
  const t = await buildAuditedOrg();
  const admin = await makeMember(t.org.operator, { roleName: "Admin", email: `Ada.Admin.${Date.now()}@example.test` });
  const annex = await makeBranch(admin.principal, "Annex", t.berlin.id);
  const order = { branchId: t.berlin.id, currency: "USD", lines: [{ sku: "A", description: "A", quantity: 1, unitPriceMinor: 1 }] };
  await expect(runCommand(createOrderCommand, t.buyer.principal, meta, order)).rejects.toBeInstanceOf(HiddenTargetError);
  return { ...t, admin, annex };
}

async function list(t: Built, query: Record<string, unknown>): Promise<AuditEvent[]> {
  return (await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, auditListQuerySchema.parse({ limit: 200, ...query })))).data;
}

describe("audit filters each narrow the list", () => {
  it("actor: an id matches exactly; anything else is a case-insensitive prefix of the label", async () => {
    const t = await buildBusyOrg();
    const byId = await list(t, { actor: t.admin.userId });
    expect(byId.map((e) => e.action)).toEqual(["branch.created"]);
    expect(await list(t, { actor: t.admin.email.slice(0, 6).toUpperCase() })).toEqual(byId);
    expect(await list(t, { actor: "nobody-with-this-label" })).toEqual([]);
    // LIKE wildcards in the input are literal characters, not patterns.
    expect(await list(t, { actor: "%" })).toEqual([]);
  });

  it('action: exact, or a prefix when it ends with "."', async () => {
    const t = await buildBusyOrg();
    expect((await list(t, { action: "order.created" })).map((e) => e.targetId).sort()).toEqual([t.chicagoOrder.id, t.berlinOrder.id].sort());
    expect((await list(t, { action: "branch." })).map((e) => e.action)).toEqual(Array(4).fill("branch.created"));
    expect(await list(t, { action: "order" })).toEqual([]);
    expect(await list(t, { action: "order_created" })).toEqual([]);
  });

  it("target: exact id", async () => {
    const t = await buildBusyOrg();
    expect((await list(t, { target: t.berlinOrder.id })).map((e) => e.action)).toEqual(["order.created"]);
  });

  it("branch: the branch's whole subtree, never another org's branch", async () => {
    const t = await buildBusyOrg();
    const other = await buildAuditedOrg("Other Co");
    const inNa = await list(t, { branch: t.na.id });
    expect(new Set(inNa.map((e) => e.branchId))).toEqual(new Set([t.na.id, t.chicago.id]));
    expect((await list(t, { branch: t.berlin.id })).map((e) => e.branchId)).toContain(t.annex.id);
    expect(await list(t, { branch: other.na.id })).toEqual([]);
    // A branch-scoped reader filtering outside its subtree gets nothing, not the other branch.
    expect((await readAs(t.naAuditor.principal, (tx) => listAuditEvents(tx, t.naAuditor.principal, auditListQuerySchema.parse({ branch: t.berlin.id })))).data).toEqual([]);
  });

  it("outcome: success, denied or failure", async () => {
    const t = await buildBusyOrg();
    const denied = await list(t, { outcome: "denied" });
    expect(denied.map((e) => e.action)).toEqual(["access.denied"]);
    const all = await list(t, {});
    expect((await list(t, { outcome: "success" })).length).toBe(all.length - 1);
    expect(await list(t, { outcome: "failure" })).toEqual([]);
  });

  it("Use UTC timestamps: from is inclusive and to exclusive, in UTC unless an offset is given", async () => {
    const t = await buildBusyOrg();
    const all = await list(t, {});
    const pivot = all[Math.floor(all.length / 2)]!;
    expect(pivot.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const from = await list(t, { from: pivot.occurredAt });
    const to = await list(t, { to: pivot.occurredAt });
    expect(from.every((e) => e.occurredAt >= pivot.occurredAt)).toBe(true);
    expect(to.every((e) => e.occurredAt < pivot.occurredAt)).toBe(true);
    expect(from.length + to.length).toBe(all.length);
    // The same instant written with an offset, and without a zone (read as UTC), select the same.
    const instant = new Date(pivot.occurredAt);
    const plusTwo = new Date(instant.getTime() + 2 * 3600_000).toISOString().replace("Z", "+02:00");
    expect(await list(t, { from: plusTwo })).toEqual(from);
    expect(await list(t, { from: pivot.occurredAt.replace("Z", "") })).toEqual(from);
    expect(await list(t, { to: "2000-01-01" })).toEqual([]);
  });

  it("filters combine", async () => {
    const t = await buildBusyOrg();
    const combined = await list(t, { action: "member.created", branch: t.na.id, outcome: "success" });
    expect(combined.map((e) => e.branchId).sort()).toEqual([t.na.id, t.chicago.id].sort());
  });
});

describe("keyset pagination", () => {
  it("pages through more events than the limit, both ways, with no duplicates and no gaps", async () => {
    const t = await buildBusyOrg();
    for (let i = 0; i < 5; i++) await makeBranch(t.org.operator, `Depot ${i}`, t.chicago.id);
    const all = (await list(t, {})).map((e) => e.id);
    expect(all.length).toBeGreaterThan(15);
    const token = await issueToken(t.org, t.rootAuditor.email);

    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const response = await listRoute(apiRequest(`/api/v1/audit/events?limit=4${cursor ? `&cursor=${cursor}` : ""}`, token));
      const page = auditEventPageSchema.parse(await response.json());
      pages.push(page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 50);
    // The token's creation is the newest event: it joined the trail before the first page.
    expect(pages.flat()).toEqual((await list(t, {})).map((e) => e.id));
    expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true);

    // Backwards from the last page with `before` reproduces the same pages.
    const query = auditListQuerySchema.parse({ limit: 4 });
    let page = await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, query));
    const forward = [page.data.map((e) => e.id)];
    for (let cursor = page.nextCursor; cursor; cursor = page.nextCursor) {
      const next = { ...query, cursor };
      forward.push((page = await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, next))).data.map((e) => e.id));
    }
    const backward = [page.data.map((e) => e.id)];
    for (let before = page.prevCursor; before; before = page.prevCursor) {
      const previous = { ...query, before };
      backward.unshift((page = await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, previous))).data.map((e) => e.id));
    }
    expect(backward).toEqual(forward);
  });
});

describe("Errors are clear and say which field and why", () => {
  it.each([
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    ["outcome=maybe", "outcome"],
    ["branch=not-a-uuid", "branch"],
    ["action=order%20created", "action"],
    ["from=2026-02-31", "from"],
    ["from=yesterday", "from"],
    ["from=2026-05-02&to=2026-05-01", "to"],
    ["cursor=not-a-cursor", "cursor"],
    ["before=abc", "before"],
    ["actr=ada", "actr"],
    ["action=a&action=b", "action"],
  ])("?%s answers 422 naming %s", async (query, field) => {
    const t = await buildAuditedOrg();
    const body = await expectProblem(await listRoute(apiRequest(`/api/v1/audit/events?${query}`, await issueToken(t.org, t.rootAuditor.email))), 422);
    expect(Object.keys(body.errors!)).toEqual([field]);
    expect(body.detail).toContain(field);
  });
});
