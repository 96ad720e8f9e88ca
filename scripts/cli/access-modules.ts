/**
 * What the branch, role, grant and access commands need from the app. Like app-modules.ts, it is
 * imported inside run(), so --help and usage errors skip loading drizzle and the schema.
 */
export { explainMemberAccess, explainRequestSchema } from "@/lib/access/explain-member-access";
export { deleteBranchCommand } from "@/lib/branches/delete-branch";
export { moveBranchCommand } from "@/lib/branches/move-branch";
export { renameBranchCommand } from "@/lib/branches/rename-branch";
export { runCommand } from "@/lib/core/command";
export { readAs } from "@/lib/core/read-as";
export { systemMeta } from "@/lib/core/request-meta";
export { systemPrincipal } from "@/lib/core/system-principal";
export { addGrantCommand } from "@/lib/grants/add-grant";
export { listMemberGrants } from "@/lib/grants/list-member-grants";
export { revokeGrantCommand } from "@/lib/grants/revoke-grant";
export { createRoleCommand } from "@/lib/roles/create-role";
export { deleteRoleCommand } from "@/lib/roles/delete-role";
export { listRoles } from "@/lib/roles/list-roles";
export { updateRoleCommand } from "@/lib/roles/update-role";
export { atFlagFields, resolveMember, resolveRole, resolveRoles } from "./resolve-access-refs";
export { resolveBranch } from "./resolve-branch";
export { resolveOrg } from "./resolve-org";
