import type { Executor } from "@/db/client";
import { can, holdsAnywhere, type Access } from "@/lib/access/access";
import { loadOrgSections, type OrgSections } from "@/lib/accounts/org-sections";
import { branchViewScope } from "@/lib/branches/list-branch-tree";
import type { Principal } from "@/lib/core/context";

/** One entry of the main navigation: a path under /orgs/<slug> ("" is the overview). */
export interface NavSection {
  href: string;
  label: string;
}

/**
 * The sections a member can use, by the same rules each page applies before it shows anything
 * (each page still checks again). A section that would only answer "needs permission" (and, for
 * the audit trail, record a denial) is left out, so a buyer never meets Users, Roles or Audit.
 * Access stays for everyone: any member may explain their own access there.
 */
export function listNavSections(access: Access, org: OrgSections): NavSection[] {
  const mayOrders = holdsAnywhere(access, "orders:read") || holdsAnywhere(access, "orders:create") || holdsAnywhere(access, "orders:approve");
  const mayUsers = holdsAnywhere(access, "users:read");
  const shown: Array<NavSection | false> = [
    { href: "", label: "Overview" },
    !org.isSupplier && mayOrders && { href: "/orders", label: "Orders" },
    org.showAccounts && { href: "/accounts", label: "Accounts" },
    org.showAccountOrders && { href: "/account-orders", label: "Account orders" },
    org.showCatalog && { href: "/catalog", label: "Catalog" },
    org.isSupplier && can(access, "intake:manage", "") && { href: "/intake", label: "Intake" },
    mayUsers && { href: "/users", label: "Users" },
    (mayUsers || holdsAnywhere(access, "roles:manage")) && { href: "/roles", label: "Roles" },
    branchViewScope(access).kind !== "none" && { href: "/branches", label: "Branches" },
    { href: "/access", label: "Access" },
    holdsAnywhere(access, "audit:read") && { href: "/audit", label: "Audit" },
    can(access, "org:manage", "") && { href: "/settings", label: "Settings" },
  ];
  return shown.filter((s): s is NavSection => s !== false);
}

/** The navigation for this member of this org (reads whether the org is the supplier). */
export async function loadNavSections(db: Executor, principal: Principal): Promise<NavSection[]> {
  return listNavSections(principal.access, await loadOrgSections(db, principal));
}
