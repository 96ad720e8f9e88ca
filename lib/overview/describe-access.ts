import type { Access } from "@/lib/access/access";

/**
 * "Buyer at Chicago", "Admin across the whole organization": each grant by its role and the
 * branch it covers (with everything below it), as the member's own summary of what they may do.
 */
export function describeAccess(access: Access): string[] {
  if (access.kind === "system") return ["Operator, across the whole organization"];
  if (access.kind === "none") return [];
  return access.grants.map((g) => (g.branchId === null ? `${g.roleName} across the whole organization` : `${g.roleName} at ${g.branchName ?? "a branch that no longer exists"}`));
}
