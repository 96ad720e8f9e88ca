import { readAs } from "@/lib/core/read-as";
import { describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/v1/audit/export/route";
import { GET as listRoute } from "@/app/api/v1/audit/events/route";
import { GET as verifyRoute } from "@/app/api/v1/audit/verify/route";
import { exportAuditJsonl } from "@/lib/audit/export-audit-events";
import { getAuditEvent } from "@/lib/audit/get-audit-event";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditEventPageSchema, auditListQuerySchema } from "@/lib/audit/schemas";
import { ForbiddenError } from "@/lib/core/errors";
import { systemPrincipal } from "@/lib/core/system-principal";
import { apiRequest, buildAuditedOrg, countEvents, expectProblem, issueToken, storedEvents } from "./audit-read-fixtures";
import { operatorDb } from "../support/as-operator";

const everything = auditListQuerySchema.parse({ limit: 200 });

async function listAll(principal: Parameters<typeof listAuditEvents>[1]) {
  return (await readAs(principal, (tx) => listAuditEvents(tx, principal, everything))).data;
}

describe("who reads which audit events", () => {
  it("an auditor at the org root sees every event of the org, and only that org's", async () => {
    const t = await buildAuditedOrg();
    const other = await buildAuditedOrg("Other Co");
    const seen = await listAll(t.rootAuditor.principal);
    const stored = await storedEvents(t.org.id);
    expect(seen.map((e) => e.id)).toEqual(stored.map((e) => Number(e.id)));
    const otherIds = new Set((await storedEvents(other.org.id)).map((e) => Number(e.id)));
    expect(seen.some((e) => otherIds.has(e.id))).toBe(false);
  });

  it("A member scoped to branch X cannot read branch Y: a North America auditor sees only its subtree's events", async () => {
    const t = await buildAuditedOrg();
    const seen = await listAll(t.naAuditor.principal);
    const subtree = new Set([t.na.id, t.chicago.id]);
    expect(seen.length).toBeGreaterThan(0);
    for (const e of seen) expect(subtree.has(e.branchId!), `${e.action} at ${e.branchId}`).toBe(true);
    // Org-level events (no branch) need the root grant: the org's creation is one.
    expect(seen.map((e) => e.action)).not.toContain("org.created");
    expect(seen.map((e) => e.targetId)).toContain(t.chicagoOrder.id);
    expect(seen.map((e) => e.targetId)).not.toContain(t.berlinOrder.id);
    const expected = (await storedEvents(t.org.id)).filter((e) => e.branch_id && subtree.has(e.branch_id));
    expect(seen.map((e) => e.id)).toEqual(expected.map((e) => Number(e.id)));
  });

  it("the detail of an event outside the reader's scope is not found, exactly like a missing one", async () => {
    const t = await buildAuditedOrg();
    const other = await buildAuditedOrg("Other Co");
    const stored = await storedEvents(t.org.id);
    const berlinEvent = stored.find((e) => e.branch_id === t.berlin.id)!;
    const chicagoEvent = stored.find((e) => e.branch_id === t.chicago.id)!;
    expect((await readAs(t.naAuditor.principal, (tx) => getAuditEvent(tx, t.naAuditor.principal, chicagoEvent.seq)))?.id).toBe(Number(chicagoEvent.id));
    expect(await readAs(t.naAuditor.principal, (tx) => getAuditEvent(tx, t.naAuditor.principal, berlinEvent.seq))).toBeNull();
    expect(await readAs(t.rootAuditor.principal, (tx) => getAuditEvent(tx, t.rootAuditor.principal, "999999"))).toBeNull();
    for (const bad of ["0", "-1", "1.5", "abc", "1e3", "9".repeat(30)]) expect(await readAs(t.rootAuditor.principal, (tx) => getAuditEvent(tx, t.rootAuditor.principal, bad)), bad).toBeNull();
    // A seq is per org: the same number in another org's chain is another event, never this one.
    const otherFirst = (await readAs(other.rootAuditor.principal, (tx) => getAuditEvent(tx, other.rootAuditor.principal, "1")))!;
    const mineFirst = (await readAs(t.rootAuditor.principal, (tx) => getAuditEvent(tx, t.rootAuditor.principal, "1")))!;
    expect(otherFirst.id).not.toBe(mineFirst.id);
  });

  it("the operator's principal (the CLI) reads every event of the org it names, and only those", async () => {
    const t = await buildAuditedOrg();
    await buildAuditedOrg("Other Co");
    const lines: string[] = [];
    for await (const chunk of exportAuditJsonl(operatorDb(), systemPrincipal("cli", { id: t.org.id, slug: t.org.slug, name: t.org.name }), {})) lines.push(...chunk.split("\n").filter(Boolean));
    const events = lines.map((l) => JSON.parse(l)).filter((r) => r.type === "event");
    expect(events.map((e) => e.id)).toEqual((await storedEvents(t.org.id)).map((e) => Number(e.id)).reverse());
    // Without an org, the operator still reads nothing: the global chain is never listed.
    await expect(readAs(systemPrincipal("cli"), (tx) => listAuditEvents(tx, systemPrincipal("cli"), everything))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("Nothing crosses tenants: a cursor made in one org is refused in another", async () => {
    const t = await buildAuditedOrg();
    const other = await buildAuditedOrg("Other Co");
    const page = await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, auditListQuerySchema.parse({ limit: 1 })));
    await expect(readAs(other.rootAuditor.principal, (tx) => listAuditEvents(tx, other.rootAuditor.principal, auditListQuerySchema.parse({ limit: 1, cursor: page.nextCursor! })))).rejects.toMatchObject({ fieldErrors: { cursor: expect.any(Array) } });
  });
});

describe("a member without audit:read", () => {
  it.each([
    ["GET /api/v1/audit/events", "/api/v1/audit/events", listRoute, "api.audit.events"],
    ["GET /api/v1/audit/verify", "/api/v1/audit/verify", verifyRoute, "api.audit.verify"],
    ["GET /api/v1/audit/export", "/api/v1/audit/export?format=csv", exportRoute, "api.audit.export"],
  ] as const)("%s answers 403 problem+json and records audit.read.denied", async (_name, path, route, resource) => {
    const t = await buildAuditedOrg();
    const token = await issueToken(t.org, t.buyer.email);
    const before = await countEvents("audit.read.denied", t.org.id);
    const body = await expectProblem(await route(apiRequest(path, token)), 403);
    expect(body.detail).toContain("audit:read");
    expect(await countEvents("audit.read.denied", t.org.id)).toBe(before + 1);
    const [denial] = (await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, auditListQuerySchema.parse({ action: "audit.read.denied", limit: 1 })))).data;
    expect(denial).toMatchObject({ outcome: "denied", actorType: "api-token", actorLabel: t.buyer.email, metadata: { resource } });
    expect(await countEvents("audit.exported", t.org.id)).toBe(0);
  });

  it("the query functions refuse them too, whoever calls", async () => {
    const t = await buildAuditedOrg();
    await expect(readAs(t.buyer.principal, (tx) => listAuditEvents(tx, t.buyer.principal, everything))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(readAs(t.buyer.principal, (tx) => getAuditEvent(tx, t.buyer.principal, "1"))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("an auditor's token lists events through the API, scoped like the member", async () => {
    const t = await buildAuditedOrg();
    const response = await listRoute(apiRequest("/api/v1/audit/events?limit=200", await issueToken(t.org, t.naAuditor.email)));
    expect(response.status).toBe(200);
    const page = auditEventPageSchema.parse(await response.json());
    expect(page.data.map((e) => e.id)).toEqual((await listAll(t.naAuditor.principal)).map((e) => e.id));
  });
});
