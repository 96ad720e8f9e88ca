/** What the member commands need from the app, imported inside run() like access-modules.ts. */
export { runCommand } from "@/lib/core/command";
export { readAs } from "@/lib/core/read-as";
export { systemMeta } from "@/lib/core/request-meta";
export { systemPrincipal } from "@/lib/core/system-principal";
export { deactivateMemberCommand } from "@/lib/identity/deactivate-member";
export { memberTargetSchema } from "@/lib/identity/load-member-target";
export { listMembers, memberListQuerySchema } from "@/lib/identity/list-members";
export { reactivateMemberCommand } from "@/lib/identity/reactivate-member";
export { removeMemberCommand } from "@/lib/identity/remove-member";
export { updateMemberCommand } from "@/lib/identity/update-member";
export { resolveMember, resolveRole } from "./resolve-access-refs";
export { resolveBranch } from "./resolve-branch";
export { resolveOrg } from "./resolve-org";
