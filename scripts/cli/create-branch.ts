import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

export const createBranchCli = defineCliCommand({
  words: ["branch", "create"],
  summary: "Add a branch to an organization's tree",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "name", value: "name", description: "Branch name, unique among its siblings", required: true, field: "name" },
    { flag: "parent", value: "branch", description: "Parent branch, by name or id (default: top of the tree)", field: "parentId" },
  ],
  examples: ['branch create --org acme --name "North America"', 'branch create --org acme --name Chicago --parent "North America"'],
  async run({ flags, db }) {
    const { createBranchCommand, resolveBranch, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./app-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const parentFlag = stringFlag(flags, "parent");
    const parent = parentFlag === undefined ? null : await resolveBranch(db, org, parentFlag, { flag: "parent", field: "parentId" });
    const input = { name: requiredFlag(flags, "name"), parentId: parent?.id ?? null };
    const branch = await runCommand(createBranchCommand, systemPrincipal("cli", org), systemMeta("cli"), input, db);
    const where = parent ? `under "${parent.name}"` : "at the top of the tree";
    return {
      human: [`Created branch "${branch.name}" ${where} in ${org.slug} (id ${branch.id}).`],
      json: { id: branch.id, orgId: branch.orgId, parentId: branch.parentId, name: branch.name, path: branch.path },
    };
  },
});
