import { ValidationError } from "@/lib/core/errors";
import { createUserCli } from "./create-user";
import { defineCliCommand, listFlag, requiredFlag, stringFlag } from "./define-cli-command";

/*
 * `member list|invite|update|deactivate|reactivate|remove`: the member endpoints' verbs for the
 * operator, through the very commands the dashboard and the REST routes run.
 */

const orgOption = { flag: "org", value: "slug", description: "The organization", required: true };
const emailOption = { flag: "email", value: "email", description: "The member", required: true, field: "membershipId" };

export const listMembersCli = defineCliCommand({
  words: ["member", "list"],
  summary: "List an organization's members, one keyset page at a time: email, name, status, source, grants",
  options: [
    orgOption,
    { flag: "q", value: "text", description: "A substring of the email or name (one or two characters: a prefix)", field: "q" },
    { flag: "sort", value: "key", description: "email (default), name or status", field: "sort" },
    { flag: "status", value: "status", description: "invited, active or deactivated", field: "status" },
    { flag: "limit", value: "n", description: "Page size, 1 to 200 (default 50)", field: "limit" },
    { flag: "cursor", value: "cursor", description: "The next page: the cursor the previous page printed", field: "cursor" },
  ],
  examples: ["member list --org acme --q chicago --sort name", "member list --org acme --status invited --json"],
  async run({ flags, db }) {
    const { listMembers, memberListQuerySchema, readAs, resolveOrg, systemPrincipal } = await import("./member-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const raw = Object.fromEntries(["q", "sort", "status", "limit", "cursor"].map((f) => [f, stringFlag(flags, f)]).filter(([, v]) => v !== undefined));
    const parsed = memberListQuerySchema.safeParse(raw);
    if (!parsed.success) throw new ValidationError(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), [i.message]])));
    const operator = systemPrincipal("cli", org);
    const page = await readAs(operator, (tx) => listMembers(tx, operator, parsed.data), db);
    const lines = page.data.map((m) => `  ${m.email}  ${m.name}  ${m.status}  ${m.source}  ${m.grants.map((g) => `${g.role}@${g.branch}`).join(", ") || "(no grants)"}`);
    return {
      human: [page.data.length ? `${page.data.length} member${page.data.length === 1 ? "" : "s"} of ${org.slug}:` : `No members of ${org.slug} match.`, ...lines, ...(page.nextCursor ? [`More: --cursor ${page.nextCursor}`] : [])],
      json: page,
    };
  },
});

export const inviteMemberCli = defineCliCommand({ ...createUserCli, words: ["member", "invite"], summary: "Invite a person with one role at one branch (the same command as user create)" });

export const updateMemberCli = defineCliCommand({
  words: ["member", "update"],
  summary: "Change a member's name (until they join) and/or replace their grants in one step",
  options: [
    orgOption,
    emailOption,
    { flag: "name", value: "name", description: "The name the organization shows until the person accepts", field: "name" },
    { flag: "grant", value: "role[@branch]", description: "One grant of the complete new set, e.g. Buyer@Chicago or Viewer (whole organization); repeat it", field: "grants", multiple: true },
  ],
  examples: ["member update --org acme --email bea@acme.test --grant Approver@Chicago --grant Viewer"],
  async run({ flags, db }) {
    const { resolveBranch, resolveMember, resolveOrg, resolveRole, runCommand, systemMeta, systemPrincipal, updateMemberCommand } = await import("./member-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const member = await resolveMember(db, org, requiredFlag(flags, "email"));
    const grantFlags = listFlag(flags, "grant");
    const grants = grantFlags
      ? await Promise.all(
          grantFlags.map(async (text) => {
            const [roleText, branchText] = text.split("@");
            const role = await resolveRole(db, org, roleText ?? "", { flag: "grant", field: "grants" });
            const branch = branchText ? await resolveBranch(db, org, branchText, { flag: "grant", field: "grants" }) : null;
            return { roleId: role.id, branchId: branch?.id ?? null };
          }),
        )
      : undefined;
    const input = { membershipId: member.membershipId, name: stringFlag(flags, "name"), grants };
    await runCommand(updateMemberCommand, systemPrincipal("cli", org), systemMeta("cli"), input, db);
    return { human: [`Updated ${member.email} in ${org.slug}.`], json: { membershipId: member.membershipId, email: member.email, updated: true } };
  },
});

/** deactivate, reactivate and remove: one member by email, one command each. */
function memberVerb(verb: "deactivate" | "reactivate" | "remove", summary: string) {
  return defineCliCommand({
    words: ["member", verb],
    summary,
    options: [orgOption, emailOption],
    examples: [`member ${verb} --org acme --email bea@acme.test`],
    async run({ flags, db }) {
      const modules = await import("./member-modules");
      const org = await modules.resolveOrg(db, requiredFlag(flags, "org"));
      const member = await modules.resolveMember(db, org, requiredFlag(flags, "email"));
      const run = <O>(command: Parameters<typeof modules.runCommand<typeof modules.memberTargetSchema, O>>[0]) =>
        modules.runCommand(command, modules.systemPrincipal("cli", org), modules.systemMeta("cli"), { membershipId: member.membershipId }, db) as Promise<object>;
      const result = verb === "deactivate" ? await run(modules.deactivateMemberCommand) : verb === "reactivate" ? await run(modules.reactivateMemberCommand) : await run(modules.removeMemberCommand);
      const done = { deactivate: "Deactivated", reactivate: "Reactivated", remove: "Removed" }[verb];
      return { human: [`${done} ${member.email} in ${org.slug}.`], json: { membershipId: member.membershipId, email: member.email, ...result } };
    },
  });
}

export const deactivateMemberCli = memberVerb("deactivate", "Deactivate a member: their sessions here end and their API tokens are revoked at once");
export const reactivateMemberCli = memberVerb("reactivate", "Reactivate a deactivated member (invited again if they never accepted)");
export const removeMemberCli = memberVerb("remove", "Remove a member from the organization (their account and history stay)");
