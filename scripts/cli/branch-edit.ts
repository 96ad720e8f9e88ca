import { defineCliCommand, requiredFlag } from "./define-cli-command";

export const renameBranchCli = defineCliCommand({
  words: ["branch", "rename"],
  summary: "Rename a branch (the name stays unique among its siblings)",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "branch", value: "branch", description: "The branch, by name or id", required: true, field: "branchId" },
    { flag: "name", value: "name", description: "Its new name", required: true, field: "name" },
  ],
  examples: ['branch rename --org acme --branch Chicago --name "Chicago Loop"'],
  async run({ flags, db }) {
    const { renameBranchCommand, resolveBranch, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const branch = await resolveBranch(db, org, requiredFlag(flags, "branch"), { flag: "branch", field: "branchId" });
    const input = { branchId: branch.id, name: requiredFlag(flags, "name") };
    await runCommand(renameBranchCommand, systemPrincipal("cli", org), systemMeta("cli"), input, db);
    const name = input.name.trim();
    return { human: [`Renamed branch "${branch.name}" to "${name}" in ${org.slug} (id ${branch.id}).`], json: { id: branch.id, before: branch.name, name } };
  },
});

export const moveBranchCli = defineCliCommand({
  words: ["branch", "move"],
  summary: "Move a branch, with its whole subtree, under another parent",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "branch", value: "branch", description: "The branch to move, by name or id", required: true, field: "branchId" },
    { flag: "parent", value: "branch|root", description: 'New parent by name or id, or "root" for the top of the tree', required: true, field: "newParentId" },
  ],
  details: ["Grants point at branch ids, so the access they give moves with the subtree."],
  examples: ['branch move --org acme --branch Chicago --parent "North America"', "branch move --org acme --branch Chicago --parent root"],
  async run({ flags, db }) {
    const { moveBranchCommand, resolveBranch, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const operator = systemPrincipal("cli", org);
    const branch = await resolveBranch(db, org, requiredFlag(flags, "branch"), { flag: "branch", field: "branchId" });
    const parentFlag = requiredFlag(flags, "parent");
    const parent = parentFlag.trim().toLowerCase() === "root" ? null : await resolveBranch(db, org, parentFlag, { flag: "parent", field: "newParentId" });
    const moved = await runCommand(moveBranchCommand, operator, systemMeta("cli"), { branchId: branch.id, newParentId: parent?.id ?? null }, db);
    const after = await resolveBranch(db, org, branch.id, { flag: "branch", field: "branchId" });
    const where = parent ? `under "${parent.name}"` : "to the top of the tree";
    const count = `${moved.branchesMoved} branch${moved.branchesMoved === 1 ? "" : "es"} moved`;
    return {
      human: [`Moved branch "${branch.name}" ${where} in ${org.slug} (${count}; path ${after.path}).`],
      json: { id: branch.id, parentId: parent?.id ?? null, path: after.path, branchesMoved: moved.branchesMoved },
    };
  },
});

export const deleteBranchCli = defineCliCommand({
  words: ["branch", "delete"],
  summary: "Delete an empty branch (no child branches, grants, orders, approval rules or SSO rules)",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "branch", value: "branch", description: "The branch to delete, by name or id", required: true, field: "branchId" },
  ],
  details: ["A branch with anything still on it is refused, with what is on it; its addresses go with it."],
  examples: ['branch delete --org acme --branch "Old depot"'],
  async run({ flags, db }) {
    const { deleteBranchCommand, resolveBranch, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const branch = await resolveBranch(db, org, requiredFlag(flags, "branch"), { flag: "branch", field: "branchId" });
    await runCommand(deleteBranchCommand, systemPrincipal("cli", org), systemMeta("cli"), { branchId: branch.id }, db);
    return { human: [`Deleted branch "${branch.name}" from ${org.slug} (id ${branch.id}).`], json: { id: branch.id, name: branch.name } };
  },
});
