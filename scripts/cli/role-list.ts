import { defineCliCommand, requiredFlag } from "./define-cli-command";

export const listRolesCli = defineCliCommand({
  words: ["role", "list"],
  summary: "List an organization's roles: direct permissions and inherited roles",
  options: [{ flag: "org", value: "slug", description: "The organization", required: true }],
  details: ["Effective permissions are the direct ones plus everything the inherited roles carry (--json lists them with their source)."],
  examples: ["role list --org acme", "role list --org acme --json"],
  async run({ flags, db }) {
    const { listRoles, readAs, resolveOrg, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const operator = systemPrincipal("cli", org);
    const roles = await readAs(operator, (tx) => listRoles(tx, operator), db);
    const width = Math.max(0, ...roles.map((r) => r.name.length));
    const human = roles.length
      ? roles.map((r) => {
          const inherits = r.inherits.length ? `; inherits ${r.inherits.map((i) => i.name).join(", ")}` : "";
          return `  ${r.name.padEnd(width)}  ${r.direct.length ? r.direct.join(", ") : "(no direct permissions)"}${inherits}${r.inUse ? "" : " (not granted)"}`;
        })
      : [`No roles in ${org.slug}.`];
    return {
      human: roles.length ? [`${roles.length} role${roles.length === 1 ? "" : "s"} in ${org.slug}:`, ...human] : human,
      json: { roles },
    };
  },
});
