import { ValidationError } from "@/lib/core/errors";
import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

export const explainAccessCli = defineCliCommand({
  words: ["access", "explain"],
  summary: "May this member do this there, and which grant says so?",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "email", value: "email", description: "The member", required: true, field: "email" },
    { flag: "permission", value: "permission", description: "The permission, e.g. orders:approve", required: true, field: "permission" },
    { flag: "branch", value: "branch", description: "At this branch, by name or id (default: the organization root)", field: "branchId" },
    { flag: "order", value: "id", description: "On this order (its branch), instead of --branch", field: "orderId" },
  ],
  details: ["A read: it changes nothing. Exits 0 whether the answer is allowed or denied (--json: the explanation's `allowed`)."],
  examples: ["access explain --org acme --email bea@acme.test --permission orders:create --branch Chicago", "access explain --org acme --email bea@acme.test --permission orders:approve --order 3f2a… --json"],
  async run({ flags, db }) {
    const { explainMemberAccess, explainRequestSchema, readAs, resolveBranch, resolveMember, resolveOrg, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const member = await resolveMember(db, org, requiredFlag(flags, "email"));
    const branchFlag = stringFlag(flags, "branch");
    const branch = branchFlag === undefined ? null : await resolveBranch(db, org, branchFlag, { flag: "branch", field: "branchId" });
    const parsed = explainRequestSchema.safeParse({ email: member.email, permission: requiredFlag(flags, "permission").trim(), branchId: branch?.id, orderId: stringFlag(flags, "order")?.trim() });
    if (!parsed.success) throw new ValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? ""), [i.message]])));
    const operator = systemPrincipal("cli", org);
    const result = await readAs(operator, (tx) => explainMemberAccess(tx, operator, parsed.data), db);
    const { explanation: e, target } = result;
    const where = target.type === "organization" ? `the whole organization (${target.name})` : target.type === "branch" ? `branch "${target.name}"` : target.name;
    const human = [`${e.allowed ? "ALLOWED" : "DENIED"}: ${result.member.email} ${e.permission} on ${where}`];
    if (e.allowed) {
      human.push(`  grant: ${e.grant.roleName} at ${e.grant.branchName}${e.grant.grantId ? ` (grant ${e.grant.grantId})` : ""}`, `  via:   ${e.via.join(" → ")}`);
      if (e.conditions.length) human.push(`  conditions: ${e.conditions.join("; ")}`);
    } else {
      human.push(`  reason: ${e.reason}`, ...e.elsewhere.map((g) => `  elsewhere: ${g.roleName} at ${g.branchName} (grant ${g.grantId})`));
    }
    return { human, json: result };
  },
});
