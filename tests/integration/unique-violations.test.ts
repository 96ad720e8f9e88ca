import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { branches, memberships, orders, roles, users } from "@/db/schema";
import { POST as branchPost } from "@/app/api/v1/branches/route";
import { createBranchCommand } from "@/lib/branches/create-branch";
import { renameBranchCommand } from "@/lib/branches/rename-branch";
import { runCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { conflictFromUniqueViolation } from "@/lib/core/unique-violation";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { createMemberCommand } from "@/lib/identity/create-member";
import { createOrderCommand } from "@/lib/orders/create-order";
import { createRoleCommand } from "@/lib/roles/create-role";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta, unique } from "../support/factories";
import { loserOf, raceBehind } from "../support/race-behind";

/**
 * Each command checks uniqueness before it writes, but two requests can both pass the check.
 * raceBehind makes them do exactly that: the unique index then stops the second, and the answer
 * must be the same 409 naming the field that the check gives, never a 500.
 */
async function setup() {
  const org = await makeOrg("Unique Co");
  const na = await makeBranch(org.operator, "North America");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  return { org, na, admin };
}

function expectConflictOn(loser: unknown, field: string) {
  expect(loser).toBeInstanceOf(ConflictError);
  expect((loser as ConflictError).field).toBe(field);
}

describe("A unique violation that a race reaches answers 409 with the field named, never 500", () => {
  it("branch sibling name: a create and a rename to the same name under one parent", async () => {
    const t = await setup();
    const toronto = await makeBranch(t.org.operator, "Toronto", t.na.id);
    const add = () => runCommand(createBranchCommand, t.admin.principal, meta, { name: "Chicago", parentId: t.na.id });
    const rename = () => runCommand(renameBranchCommand, t.admin.principal, meta, { branchId: toronto.id, name: "CHICAGO" });
    const outcomes = await raceBehind((tx) => tx.insert(branches).values(branchRow(t.org.id, t.na, "chicago")), [add, rename]);
    expectConflictOn(loserOf(outcomes), "name");
    const names = await asOperator((tx) => tx.select({ name: branches.name }).from(branches).where(and(eq(branches.orgId, t.org.id), eq(branches.parentId, t.na.id))));
    expect(names.map((n) => n.name.toLowerCase()).sort()).toEqual(outcomes[0]!.status === "fulfilled" ? ["chicago", "toronto"] : ["chicago"]);
  });

  it("role name: two creates of the same role", async () => {
    const t = await setup();
    const add = () => runCommand(createRoleCommand, t.admin.principal, meta, { name: "Night shift", permissions: ["orders:read"] });
    const outcomes = await raceBehind((tx) => tx.insert(roles).values({ orgId: t.org.id, name: "Night shift" }), [add, add]);
    expectConflictOn(loserOf(outcomes), "name");
  });

  it("order number: two orders with the same number", async () => {
    const t = await setup();
    const number = unique("PO").toUpperCase();
    const add = () => runCommand(createOrderCommand, t.admin.principal, meta, { number, branchId: t.na.id, currency: "USD", lines: [{ sku: "A", description: "A", quantity: 1, unitPriceMinor: 100 }] });
    const outcomes = await raceBehind((tx) => tx.insert(orders).values({ orgId: t.org.id, number, branchId: t.na.id, buyerId: t.admin.userId, currency: "USD", subtotalMinor: 0, totalMinor: 0 }), [add, add]);
    expectConflictOn(loserOf(outcomes), "number");
  });

  it("member create, a new person: two adds of the same new email (users_email_lower_uq)", async () => {
    const t = await setup();
    const email = `${unique("new")}@example.test`;
    const add = () => runCommand(createMemberCommand, t.admin.principal, meta, { email, roleName: "Viewer", branchId: t.na.id });
    const outcomes = await raceBehind((tx) => tx.insert(users).values({ email: email.toUpperCase(), name: "held" }), [add, add]);
    expectConflictOn(loserOf(outcomes), "email");
  });

  it("member create, a person with an account elsewhere: two adds to the same org (memberships_org_user_uq)", async () => {
    const t = await setup();
    const elsewhere = await makeOrg("Elsewhere");
    const person = await makeMember(elsewhere.operator, { roleName: "Viewer" });
    const add = () => runCommand(createMemberCommand, t.admin.principal, meta, { email: person.email, roleName: "Viewer", branchId: t.na.id });
    const outcomes = await raceBehind((tx) => tx.insert(memberships).values({ orgId: t.org.id, userId: person.userId, status: "invited" }), [add, add]);
    expectConflictOn(loserOf(outcomes), "email");
    expect(await asOperator((tx) => tx.$count(memberships, and(eq(memberships.orgId, t.org.id), eq(memberships.userId, person.userId))))).toBe(1);
  });

  it("over REST the loser gets a problem+json 409 whose errors name the field", async () => {
    const t = await setup();
    const token = (await runCommand(createApiTokenCommand, t.org.operator, meta, { email: t.admin.email })).token;
    const post = () =>
      branchPost(new Request("http://localhost/api/v1/branches", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "Toronto", parentId: t.na.id }) }));
    const outcomes = await raceBehind((tx) => tx.insert(branches).values(branchRow(t.org.id, t.na, "Toronto")), [post, post]);
    const answers = await Promise.all(outcomes.map(async (o) => (o.status === "fulfilled" ? { status: o.value.status, body: await o.value.json() } : { status: 0, body: o.reason })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.body).toMatchObject({ status: 409, errors: { name: [expect.any(String)] } });
  });
});

describe("conflictFromUniqueViolation", () => {
  it("finds the violation under Drizzle's wrapper, and leaves unknown constraints and other errors alone (they stay 500)", () => {
    const driverError = Object.assign(new Error("duplicate key"), { code: "23505", constraint_name: "roles_org_name_uq" });
    const wrapped = Object.assign(new Error("Failed query: insert ..."), { cause: driverError });
    expect(conflictFromUniqueViolation(wrapped)).toMatchObject({ code: "conflict", field: "name" });
    expect(conflictFromUniqueViolation(Object.assign(new Error("x"), { code: "23505", constraint_name: "sessions_token_hash_unique" }))).toBeNull();
    expect(conflictFromUniqueViolation(Object.assign(new Error("x"), { code: "23503", constraint_name: "roles_org_name_uq" }))).toBeNull();
    expect(conflictFromUniqueViolation(new Error("plain"))).toBeNull();
    expect(conflictFromUniqueViolation(null)).toBeNull();
  });
});

function branchRow(orgId: string, parent: { id: string; path: string }, name: string) {
  const id = randomUUID();
  return { id, orgId, parentId: parent.id, name, path: `${parent.path}${id}/` };
}
