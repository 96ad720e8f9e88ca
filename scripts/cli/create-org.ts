import { defineCliCommand, requiredFlag } from "./define-cli-command";

export const createOrgCli = defineCliCommand({
  words: ["org", "create"],
  summary: "Create an organization with its starter roles",
  options: [
    { flag: "name", value: "name", description: "Display name", required: true, field: "name" },
    { flag: "slug", value: "slug", description: "Short unique id: lowercase letters, digits, inner hyphens", required: true, field: "slug" },
  ],
  examples: ['org create --name "Acme Industrial" --slug acme'],
  async run({ flags, db }) {
    const { createOrgCommand, roleTemplates, runCommand, systemMeta, systemPrincipal } = await import("./app-modules");
    const input = { name: requiredFlag(flags, "name"), slug: requiredFlag(flags, "slug") };
    const org = await runCommand(createOrgCommand, systemPrincipal("cli"), systemMeta("cli"), input, db);
    return {
      human: [`Created organization "${org.name}" (slug ${org.slug}, id ${org.id}).`, `Starter roles: ${roleTemplates.map((r) => r.name).join(", ")}.`],
      json: { id: org.id, slug: org.slug, name: org.name, createdAt: org.createdAt },
    };
  },
});
