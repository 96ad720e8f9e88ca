import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

export const createUserCli = defineCliCommand({
  words: ["user", "create"],
  summary: "Add a member to an organization with one role at one branch",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "email", value: "email", description: "Sign-in email; an existing user just joins the organization", required: true, field: "email" },
    { flag: "password", value: "password", description: "Password for a new user (at least 8 characters)", required: true, field: "password" },
    { flag: "role", value: "role", description: "Role name (default Buyer): Admin, Manager, Buyer, Approver, Viewer, Auditor", field: "roleName" },
    { flag: "branch", value: "branch", description: "Branch the role applies to, by name or id (default: the whole organization)", field: "branchId" },
    { flag: "name", value: "name", description: "Display name (default: the part of the email before @)", field: "name" },
  ],
  details: ["The password ends up in your shell history; ask the person to change it after signing in."],
  examples: ["user create --org acme --email ada@acme.test --password 'long passphrase' --role Admin", "user create --org acme --email bea@acme.test --password 'long passphrase' --branch Chicago"],
  async run({ flags, db }) {
    const { createMemberCommand, resolveBranch, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./app-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const branchFlag = stringFlag(flags, "branch");
    const branch = branchFlag === undefined ? null : await resolveBranch(db, org, branchFlag, { flag: "branch", field: "branchId" });
    const input = {
      email: requiredFlag(flags, "email"),
      password: requiredFlag(flags, "password"),
      roleName: stringFlag(flags, "role") ?? "Buyer",
      branchId: branch?.id ?? null,
      name: stringFlag(flags, "name"),
    };
    const member = await runCommand(createMemberCommand, systemPrincipal("cli", org), systemMeta("cli"), input, db);
    const email = input.email.trim();
    const role = input.roleName.trim();
    const scope = branch ? `at branch "${branch.name}"` : "for the whole organization";
    return {
      human: [
        `Added ${email} to ${org.slug} as ${role} ${scope} (membership ${member.membershipId}, ${member.status}).`,
        ...(member.isNewUser ? [] : ["They already had an account: their password was left unchanged."]),
      ],
      json: { ...member, orgId: org.id, email, role, branchId: branch?.id ?? null },
    };
  },
});
