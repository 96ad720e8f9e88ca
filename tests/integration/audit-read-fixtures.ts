import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { makeBranch, makeMember, makeOrder, makeOrg, meta } from "../support/factories";
import { operatorDb } from "../support/as-operator";

type Org = Awaited<ReturnType<typeof makeOrg>>;

/**
 * An org with two regions and an auditor at the root, an auditor over North America and a buyer
 * in Chicago, plus an order in Chicago and one in Berlin: events at the root, in the subtree and
 * outside it.
 */
export async function buildAuditedOrg(name = "Audit Co") {
  const org = await makeOrg(name);
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const berlin = await makeBranch(org.operator, "Berlin");
  const rootAuditor = await makeMember(org.operator, { roleName: "Auditor" });
  const naAuditor = await makeMember(org.operator, { roleName: "Auditor", branchId: na.id });
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const berlinBuyer = await makeMember(org.operator, { roleName: "Buyer", branchId: berlin.id });
  const chicagoOrder = await makeOrder(org.operator, { branchId: chicago.id, buyerId: buyer.userId });
  const berlinOrder = await makeOrder(org.operator, { branchId: berlin.id, buyerId: berlinBuyer.userId });
  return { org, na, chicago, berlin, rootAuditor, naAuditor, buyer, berlinBuyer, chicagoOrder, berlinOrder };
}

export async function issueToken(org: Org, email: string): Promise<string> {
  return (await runCommand(createApiTokenCommand, org.operator, meta, { email })).token;
}

export const apiRequest = (path: string, token?: string) => new Request(`http://localhost${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** The org's events straight from the table (as the owner sees them), newest first. */
export async function storedEvents(orgId: string) {
  return operatorDb().execute<{ id: string; seq: string; action: string; branch_id: string | null; actor_label: string | null }>(
    sql`select id::text, seq::text, action, branch_id, actor_label from audit_events where org_id = ${orgId} order by occurred_at desc, id desc`,
  );
}

export async function countEvents(action: string, orgId: string): Promise<number> {
  const [row] = await operatorDb().execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = ${action} and org_id = ${orgId}`);
  return row!.n;
}

export async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { status: number; detail: string; errors?: Record<string, string[]> };
}
