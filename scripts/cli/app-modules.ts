/**
 * Everything commands need from the app (drizzle, zod schemas, the command layer). Commands
 * `await import("./app-modules")` inside run(), so --help and usage errors skip loading it.
 */
export { roleTemplates } from "@/lib/access/role-templates";
export { createBranchCommand } from "@/lib/branches/create-branch";
export { runCommand } from "@/lib/core/command";
export { systemMeta } from "@/lib/core/request-meta";
export { systemPrincipal } from "@/lib/core/system-principal";
export { DEMO_PASSWORD, demoPersonas, isDatabaseEmpty, seedDemo } from "@/lib/demo/seed-demo";
export { createApiTokenCommand } from "@/lib/identity/create-api-token";
export { createMemberCommand } from "@/lib/identity/create-member";
export { deliverMessage } from "@/lib/identity/deliver-message";
export { unblockMemberSecondFactorCommand } from "@/lib/identity/unblock-member-second-factor";
export { createOrgCommand } from "@/lib/orgs/create-org";
export { countOrganizations } from "./count-organizations";
export { resolveBranch } from "./resolve-branch";
export { resolveOrg } from "./resolve-org";
