import { ValidationError } from "@/lib/core/errors";
import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

export const addGrantCli = defineCliCommand({
  words: ["grant", "add"],
  summary: "Grant a member a role at a branch (or the whole organization)",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "email", value: "email", description: "The member", required: true, field: "membershipId" },
    { flag: "role", value: "role", description: "The role, by name or id", required: true, field: "roleId" },
    { flag: "branch", value: "branch", description: "Branch the grant covers with its subtree, by name or id (default: the whole organization)", field: "branchId" },
    { flag: "expires", value: "date", description: "Expiry, an ISO 8601 date or instant in the future (default: never)", field: "expiresAt" },
    { flag: "approval-limit", value: "minor", description: "Approval limit in minor units (cents); needs --currency", field: "approvalLimitMinor" },
    { flag: "currency", value: "ISO", description: "Currency of the approval limit, e.g. USD", field: "approvalLimitCurrency" },
  ],
  examples: ["grant add --org acme --email bea@acme.test --role Approver --branch Chicago --approval-limit 500000 --currency USD", "grant add --org acme --email temp@acme.test --role Viewer --expires 2030-01-31"],
  async run({ flags, db }) {
    const { addGrantCommand, resolveBranch, resolveMember, resolveOrg, resolveRole, runCommand, systemMeta, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const member = await resolveMember(db, org, requiredFlag(flags, "email"));
    const role = await resolveRole(db, org, requiredFlag(flags, "role"), { flag: "role", field: "roleId" });
    const branchFlag = stringFlag(flags, "branch");
    const branch = branchFlag === undefined ? null : await resolveBranch(db, org, branchFlag, { flag: "branch", field: "branchId" });
    const limit = stringFlag(flags, "approval-limit")?.trim();
    if (limit !== undefined && !/^\d{1,15}$/.test(limit)) throw new ValidationError({ approvalLimitMinor: ["must be a whole number of minor units"] });
    const input = {
      membershipId: member.membershipId,
      roleId: role.id,
      branchId: branch?.id ?? null,
      expiresAt: stringFlag(flags, "expires")?.trim() || null,
      approvalLimitMinor: limit === undefined ? null : Number(limit),
      approvalLimitCurrency: stringFlag(flags, "currency")?.trim().toUpperCase() || null,
    };
    const { id } = await runCommand(addGrantCommand, systemPrincipal("cli", org), systemMeta("cli"), input, db);
    const scope = branch ? `at branch "${branch.name}"` : "for the whole organization";
    const extras = [input.expiresAt && `expires ${input.expiresAt}`, limit !== undefined && `approval limit ${limit} ${input.approvalLimitCurrency}`].filter(Boolean);
    return {
      human: [`Granted ${member.email} the role ${role.name} ${scope} in ${org.slug} (grant ${id}${extras.length ? `; ${extras.join("; ")}` : ""}).`],
      json: { id, membershipId: member.membershipId, email: member.email, roleId: role.id, role: role.name, branchId: branch?.id ?? null, expiresAt: input.expiresAt, approvalLimitMinor: input.approvalLimitMinor, approvalLimitCurrency: input.approvalLimitCurrency },
    };
  },
});

export const revokeGrantCli = defineCliCommand({
  words: ["grant", "revoke"],
  summary: "Revoke one grant (the member loses it on their next request)",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "grant", value: "id", description: "The grant's id (see grant list)", required: true, field: "grantId" },
  ],
  examples: ["grant revoke --org acme --grant 0b7c…"],
  async run({ flags, db }) {
    const { resolveOrg, revokeGrantCommand, runCommand, systemMeta, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const { id } = await runCommand(revokeGrantCommand, systemPrincipal("cli", org), systemMeta("cli"), { grantId: requiredFlag(flags, "grant").trim() }, db);
    return { human: [`Revoked grant ${id} in ${org.slug}.`], json: { id, revoked: true } };
  },
});

export const listGrantsCli = defineCliCommand({
  words: ["grant", "list"],
  summary: "List a member's grants: role, branch, expiry and approval limit",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "email", value: "email", description: "The member", required: true },
  ],
  examples: ["grant list --org acme --email bea@acme.test"],
  async run({ flags, db }) {
    const { listMemberGrants, readAs, resolveMember, resolveOrg, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const member = await resolveMember(db, org, requiredFlag(flags, "email"));
    const operator = systemPrincipal("cli", org);
    const { grants } = await readAs(operator, (tx) => listMemberGrants(tx, operator, member.membershipId), db);
    const lines = grants.map((g) => {
      const extras = [g.expiresAt && `${g.expired ? "expired" : "expires"} ${g.expiresAt}`, g.approvalLimit && `approval limit ${g.approvalLimit.amountMinor} ${g.approvalLimit.currency}`].filter(Boolean);
      return `  ${g.id}  ${g.roleName} at ${g.branchName}${extras.length ? ` (${extras.join("; ")})` : ""}`;
    });
    return {
      human: grants.length ? [`${member.email} holds ${grants.length} grant${grants.length === 1 ? "" : "s"} in ${org.slug}:`, ...lines] : [`${member.email} holds no grants in ${org.slug}.`],
      json: { membershipId: member.membershipId, email: member.email, grants: grants.map((g) => ({ id: g.id, roleId: g.roleId, roleName: g.roleName, branchId: g.branchId, branchName: g.branchName, expiresAt: g.expiresAt, expired: g.expired, approvalLimit: g.approvalLimit })) },
    };
  },
});
