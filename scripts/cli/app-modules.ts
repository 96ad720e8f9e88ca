/**
 * Everything commands need from the app (drizzle, zod schemas, the command layer). Commands
 * `await import("./app-modules")` inside run(), so --help and usage errors skip loading it.
 */
export { roleTemplates, supplierRoleTemplates } from "@/lib/access/role-templates";
export { withTenantScope } from "@/db/tenant-scope";
export { createSupplierCommand } from "@/lib/accounts/create-supplier";
export { findSupplier } from "@/lib/accounts/find-supplier";
export { parseAmount } from "@/lib/accounts/money";
export { openAccountCommand } from "@/lib/accounts/open-account";
export { applyCatalogImportBatchCommand } from "@/lib/catalog/import/apply-catalog-import-batch";
export { describeRowError, MAX_IMPORT_BYTES } from "@/lib/catalog/import/parse-catalog-csv";
export { previewCatalogImportCommand } from "@/lib/catalog/import/preview-catalog-import";
export { listCatalogImportErrors } from "@/lib/catalog/import/read-catalog-imports";
export { createBranchCommand } from "@/lib/branches/create-branch";
export { runCommand } from "@/lib/core/command";
export { systemMeta } from "@/lib/core/request-meta";
export { systemPrincipal } from "@/lib/core/system-principal";
export { DEMO_PASSWORD, demoPersonas, isDatabaseEmpty, seedDemo, supplierPersonas } from "@/lib/demo/seed-demo";
export { createApiTokenCommand } from "@/lib/identity/create-api-token";
export { createMemberCommand } from "@/lib/identity/create-member";
export { deliverMessage } from "@/lib/identity/deliver-message";
export { unblockMemberSecondFactorCommand } from "@/lib/identity/unblock-member-second-factor";
export { createOrgCommand } from "@/lib/orgs/create-org";
export { countOrganizations } from "./count-organizations";
export { resolveBranch } from "./resolve-branch";
export { resolveOrg } from "./resolve-org";
