import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

export const createUserCli = defineCliCommand({
  words: ["user", "create"],
  summary: "Add a member to an organization with one role at one branch",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "email", value: "email", description: "Sign-in email; someone who already has an account is invited, and joins once they accept signed in", required: true, field: "email" },
    { flag: "password", value: "password", description: "Password for a new account (at least 8 characters), active at once; refused for an address that already has an account. Without it they are emailed an invitation", field: "password" },
    { flag: "role", value: "role", description: "Role name (default Buyer): Admin, Manager, Buyer, Approver, Viewer, Auditor", field: "roleName" },
    { flag: "branch", value: "branch", description: "Branch the role applies to, by name or id (default: the whole organization)", field: "branchId" },
    { flag: "name", value: "name", description: "Display name (default: the part of the email before @)", field: "name" },
  ],
  details: [
    "Prefer leaving out --password: the person gets an invitation mail (through SMTP_URL; without it the mail is saved to DATA_DIR/outbox and its link printed here) and chooses their own password.",
    "A --password ends up in your shell history; ask the person to change it after signing in.",
    "Nobody joins an organization without agreeing to: an address that already has an account is always invited, and the person accepts the invitation signed in as themselves.",
  ],
  examples: ["user create --org acme --email ada@acme.test --role Admin", "user create --org acme --email bea@acme.test --password 'long passphrase' --branch Chicago"],
  async run({ flags, db, log }) {
    const { createMemberCommand, deliverMessage, resolveBranch, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./app-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const branchFlag = stringFlag(flags, "branch");
    const branch = branchFlag === undefined ? null : await resolveBranch(db, org, branchFlag, { flag: "branch", field: "branchId" });
    const input = {
      email: requiredFlag(flags, "email"),
      password: stringFlag(flags, "password"),
      roleName: stringFlag(flags, "role") ?? "Buyer",
      branchId: branch?.id ?? null,
      name: stringFlag(flags, "name"),
    };
    const { invitation, ...member } = await runCommand(createMemberCommand, systemPrincipal("cli", org), systemMeta("cli"), input, db);
    // The outbox fallback prints the link with console.log; route it to the operator's progress
    // stream, so stdout stays pure JSON under --json.
    const delivery = invitation ? await withConsoleLogTo(log, () => deliverMessage(invitation.to, invitation.message)) : null;
    const email = input.email.trim();
    const role = input.roleName.trim();
    const scope = branch ? `at branch "${branch.name}"` : "for the whole organization";
    return {
      human: [
        `Added ${email} to ${org.slug} as ${role} ${scope} (membership ${member.membershipId}, ${member.status}).`,
        ...(invitation ? [describeInvitation(invitation.to, delivery)] : []),
      ],
      json: { ...member, orgId: org.id, email, role, branchId: branch?.id ?? null, invitation: invitation ? (delivery?.delivery ?? "failed") : null },
    };
  },
});

function describeInvitation(to: string, delivery: { delivery: "smtp" | "outbox"; file?: string } | null): string {
  if (!delivery) return `The invitation to ${to} could not be sent (see the error above); use "Resend invitation" on their member page once mail works.`;
  if (delivery.delivery === "outbox") return `No SMTP_URL is set: the invitation was saved to ${delivery.file} and its link printed above; pass it on to ${to}.`;
  return `An invitation to choose a password was emailed to ${to}.`;
}

async function withConsoleLogTo<T>(log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  const original = console.log;
  console.log = (...args: unknown[]) => log(args.map(String).join(" "));
  try {
    return await fn();
  } finally {
    console.log = original;
  }
}
