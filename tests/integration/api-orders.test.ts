import { describe, expect, it } from "vitest";
import { GET as getOrderRoute } from "@/app/api/v1/orders/[id]/route";
import { GET as listOrdersRoute } from "@/app/api/v1/orders/route";
import { runCommand } from "@/lib/core/command";
import { orderPageSchema } from "@/lib/http/schemas";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { orderDetailSchema } from "@/lib/orders/schemas";
import { makeBranch, makeMember, makeOrder, makeOrg, meta } from "../support/factories";

type Org = Awaited<ReturnType<typeof makeOrg>>;

async function issueToken(org: Org, email: string): Promise<string> {
  return (await runCommand(createApiTokenCommand, org.operator, meta, { email })).token;
}

const request = (path: string, token: string) => new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } });

async function listPage(token: string, query = "") {
  const response = await listOrdersRoute(request(`/api/v1/orders${query}`, token));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await response.json();
  expect(Object.keys(body).sort()).toEqual(["data", "nextCursor"]);
  return orderPageSchema.parse(body);
}

async function fetchOrder(token: string, id: string) {
  return getOrderRoute(request(`/api/v1/orders/${id}`, token), { params: Promise.resolve({ id }) });
}

/** Follows nextCursor to the end and returns every page's ids. */
async function walkPages(token: string, query: string): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await listPage(token, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    pages.push(page.data.map((o) => o.id));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
}

async function buildTwoRegions(name = "Api Co") {
  const org = await makeOrg(name);
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const berlin = await makeBranch(org.operator, "Berlin");
  const chicagoBuyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const berlinBuyer = await makeMember(org.operator, { roleName: "Buyer", branchId: berlin.id });
  const chicagoOrder = await makeOrder(org.operator, { branchId: chicago.id, buyerId: chicagoBuyer.userId });
  const berlinOrder = await makeOrder(org.operator, { branchId: berlin.id, buyerId: berlinBuyer.userId });
  return { org, na, chicago, berlin, chicagoBuyer, berlinBuyer, chicagoOrder, berlinOrder };
}

describe("GET /api/v1/orders", () => {
  it("A member scoped to branch X cannot read branch Y: a token lists only its member's branch", async () => {
    const t = await buildTwoRegions();
    const manager = await makeMember(t.org.operator, { roleName: "Manager", branchId: t.na.id });
    const page = await listPage(await issueToken(t.org, t.chicagoBuyer.email));
    expect(page.data.map((o) => o.id)).toEqual([t.chicagoOrder.id]);
    expect(page.nextCursor).toBeNull();
    const managerPage = await listPage(await issueToken(t.org, manager.email));
    expect(managerPage.data.map((o) => o.id)).toEqual([t.chicagoOrder.id]);
  });

  it("pages through more rows than the limit with no duplicates and no gaps", async () => {
    const t = await buildTwoRegions();
    // Repeated totals make the id tie-breaker of the keyset do real work.
    for (let i = 0; i < 7; i++) await makeOrder(t.org.operator, { branchId: t.chicago.id, buyerId: t.chicagoBuyer.userId, totalMinor: 500 * (i % 3) });
    const token = await issueToken(t.org, t.chicagoBuyer.email);
    const everything = (await listPage(token, "?limit=200")).data.map((o) => o.id);
    expect(everything).toHaveLength(8);
    expect(everything).not.toContain(t.berlinOrder.id);

    for (const query of ["?limit=3", "?limit=3&sort=total&dir=asc", "?limit=3&sort=number&dir=desc"]) {
      const pages = await walkPages(token, query);
      expect(pages.map((p) => p.length), query).toEqual([3, 3, 2]);
      const seen = pages.flat();
      expect(new Set(seen).size, query).toBe(seen.length);
      expect([...seen].sort(), query).toEqual([...everything].sort());
    }
  });

  it("filters by status, branch and number prefix inside the token's scope", async () => {
    const t = await buildTwoRegions();
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    const token = await issueToken(t.org, admin.email);
    expect((await listPage(token, `?branch=${t.na.id}`)).data.map((o) => o.id)).toEqual([t.chicagoOrder.id]);
    expect((await listPage(token, `?q=${encodeURIComponent(t.berlinOrder.number)}`)).data.map((o) => o.id)).toEqual([t.berlinOrder.id]);
    expect((await listPage(token, "?status=fulfilled")).data).toEqual([]);
  });

  it("filters by buyer and by the UTC days an order was placed on, both ends included", async () => {
    const t = await buildTwoRegions();
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    const token = await issueToken(t.org, admin.email);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listPage(token, `?buyer=${t.berlinBuyer.userId}`)).data.map((o) => o.id)).toEqual([t.berlinOrder.id]);
    expect((await listPage(token, `?from=${today}&to=${today}`)).data.map((o) => o.id).sort()).toEqual([t.chicagoOrder.id, t.berlinOrder.id].sort());
    expect((await listPage(token, "?to=2001-01-01")).data).toEqual([]);
    expect((await listPage(token, "?from=2999-01-01")).data).toEqual([]);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=abc", "limit"],
    ["status=bogus", "status"],
    ["sort=price", "sort"],
    ["branch=not-a-uuid", "branch"],
    ["buyer=not-a-uuid", "buyer"],
    ["from=2026-02-30", "from"],
    ["from=1969-12-31", "from"],
    ["to=99999-01-01", "to"],
    ["to=2026-05-01T00:00:00Z", "to"],
    ["from=2026-05-02&to=2026-05-01", "to"],
    ["cursor=not-a-cursor", "cursor"],
    ["stauts=approved", "stauts"],
    ["before=abc", "before"],
    ["limit=1&limit=2", "limit"],
  ])("answers 422 problem+json naming the field for ?%s", async (query, field) => {
    const t = await buildTwoRegions();
    const response = await listOrdersRoute(request(`/api/v1/orders?${query}`, await issueToken(t.org, t.chicagoBuyer.email)));
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json();
    expect(body).toMatchObject({ type: "about:blank", title: "Unprocessable Content", status: 422, instance: "/api/v1/orders" });
    expect(Object.keys(body.errors)).toEqual([field]);
    expect(body.detail).toContain(field);
  });

  it("answers 422 naming `cursor` for a tampered cursor", async () => {
    const t = await buildTwoRegions();
    await makeOrder(t.org.operator, { branchId: t.chicago.id, buyerId: t.chicagoBuyer.userId });
    const token = await issueToken(t.org, t.chicagoBuyer.email);
    const { nextCursor } = await listPage(token, "?limit=1");
    const [value] = JSON.parse(Buffer.from(nextCursor!, "base64url").toString("utf8"));
    const tampered = Buffer.from(JSON.stringify([value, "'; drop table orders; --"])).toString("base64url");
    const response = await listOrdersRoute(request(`/api/v1/orders?limit=1&cursor=${tampered}`, token));
    expect(response.status).toBe(422);
    expect(Object.keys((await response.json()).errors)).toEqual(["cursor"]);
  });
});

describe("GET /api/v1/orders/{id}", () => {
  it("returns a visible order with its lines", async () => {
    const t = await buildTwoRegions();
    const response = await fetchOrder(await issueToken(t.org, t.chicagoBuyer.email), t.chicagoOrder.id);
    expect(response.status).toBe(200);
    const order = orderDetailSchema.parse(await response.json());
    expect(order).toMatchObject({ id: t.chicagoOrder.id, number: t.chicagoOrder.number, branchId: t.chicago.id });
    expect(order.lines).toHaveLength(1);
  });

  it("answers the same 404 for another branch's, another org's, a missing and a malformed id", async () => {
    const t = await buildTwoRegions();
    const other = await buildTwoRegions("Other Co");
    const token = await issueToken(t.org, t.chicagoBuyer.email);
    const ids = [t.berlinOrder.id, other.chicagoOrder.id, crypto.randomUUID(), "not-a-uuid", "-".repeat(36), "0".repeat(36), "%00"];
    const problems = [];
    for (const id of ids) {
      const response = await fetchOrder(token, id);
      expect(response.status, id).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const { type, title, status, detail } = await response.json();
      problems.push({ type, title, status, detail });
    }
    expect(new Set(problems.map((p) => JSON.stringify(p))).size).toBe(1);
    expect(problems[0]).toEqual({ type: "about:blank", title: "Not Found", status: 404, detail: "Order not found." });
  });
});

describe("tenancy", () => {
  it("Nothing crosses tenants: org A's token never lists, reads or filters by org B's orders", async () => {
    const a = await buildTwoRegions("Tenant A");
    const b = await buildTwoRegions("Tenant B");
    const adminA = await makeMember(a.org.operator, { roleName: "Admin" });
    const token = await issueToken(a.org, adminA.email);
    const ids = (await listPage(token, "?limit=200")).data.map((o) => o.id);
    expect(ids.sort()).toEqual([a.chicagoOrder.id, a.berlinOrder.id].sort());
    expect((await listPage(token, `?branch=${b.chicago.id}`)).data).toEqual([]);
    for (const order of [b.chicagoOrder, b.berlinOrder]) expect((await fetchOrder(token, order.id)).status).toBe(404);
  });
});
