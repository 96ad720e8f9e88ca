import { and, eq } from "drizzle-orm";
import { roles } from "@/db/schema";
import { asOperator } from "../support/as-operator";
import { runCommand } from "@/lib/core/command";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { makeBranch, makeMember, makeOrg, meta } from "../support/factories";
import { makeProduct, openAccount } from "../support/supplier-factories";
import { callRoute } from "./isolation-world";

/**
 * An account with North America → Chicago, EMEA → Berlin, a Chicago buyer, a North America
 * manager, an EMEA manager, an admin, a ship-to address per city, and two products (one inactive).
 */
export async function buildOrderingWorld() {
  const org = await makeOrg("Ordering Co");
  await openAccount(org.id, { baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.10" }] });
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const emea = await makeBranch(org.operator, "EMEA");
  const berlin = await makeBranch(org.operator, "Berlin", emea.id);
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const emeaManager = await makeMember(org.operator, { roleName: "Manager", branchId: emea.id });
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const viewer = await makeMember(org.operator, { roleName: "Viewer", branchId: chicago.id });
  const address = async (branchId: string, city: string) => (await runCommand(addBranchAddressCommand, org.operator, meta, { branchId, label: `${city} dock`, lines: ["1 Main St"], city, country: "US", isDefault: true })).id;
  const addresses = { chicago: await address(chicago.id, "Chicago"), berlin: await address(berlin.id, "Berlin") };
  const widget = await makeProduct({ name: "Widget", category: "Tools", prices: { USD: 100_00, EUR: 90_00 } });
  const retired = await makeProduct({ name: "Old widget", active: false, prices: { USD: 5_00 } });
  const token = async (p: { email: string }) => (await runCommand(createApiTokenCommand, org.operator, meta, { email: p.email })).token;
  return {
    org,
    branches: { na, chicago, emea, berlin },
    members: { buyer, manager, emeaManager, admin, viewer },
    addresses,
    products: { widget, retired },
    tokens: { buyer: await token(buyer), manager: await token(manager), emeaManager: await token(emeaManager), admin: await token(admin), viewer: await token(viewer) },
  };
}
export type OrderingWorld = Awaited<ReturnType<typeof buildOrderingWorld>>;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route and returns its status and JSON body. */
export async function call(handler: unknown, token: string, method: string, path: string, options: { params?: Record<string, string>; body?: unknown } = {}) {
  const res = await callRoute(handler as Handler, token, method, path, options);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A role's id by name, in one org. */
export async function roleIdOf(orgId: string, name: string): Promise<string> {
  const rows = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, name))));
  if (!rows[0]) throw new Error(`no role ${name}`);
  return rows[0].id;
}
