import { ValidationError } from "@/lib/core/errors";
import { defineCliCommand, requiredFlag, stringFlag } from "./define-cli-command";

export const deleteRoleCli = defineCliCommand({
  words: ["role", "delete"],
  summary: "Delete a role; say what happens to grants that use it",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "role", value: "role", description: "The role, by name or id", required: true, field: "roleId" },
    { flag: "grants", value: "revoke|role", description: 'For a role in use: "revoke" its grants, or a role (name or id) to move them to', field: "grants" },
  ],
  details: ["A role that other roles inherit cannot be deleted: remove it from them first (role update --inherits)."],
  examples: ["role delete --org acme --role Intern", "role delete --org acme --role Intern --grants Buyer", "role delete --org acme --role Intern --grants revoke"],
  async run({ flags, db }) {
    const { atFlagFields, deleteRoleCommand, resolveOrg, resolveRole, runCommand, systemMeta, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const role = await resolveRole(db, org, requiredFlag(flags, "role"), { flag: "role", field: "roleId" });
    const decision = stringFlag(flags, "grants")?.trim();
    const target = decision === undefined || decision.toLowerCase() === "revoke" ? null : await resolveRole(db, org, decision, { flag: "grants", field: "grants" });
    if (target?.id === role.id) throw new ValidationError({ grants: ["must be another role of this organization"] });
    const grants = decision === undefined ? undefined : target ? { reassignTo: target.id } : ("revoke" as const);
    const { grantsAffected } = await atFlagFields(runCommand(deleteRoleCommand, systemPrincipal("cli", org), systemMeta("cli"), { roleId: role.id, grants }, db));
    const fate = grantsAffected === 0 ? "it was not granted" : `${grantsAffected} grant${grantsAffected === 1 ? "" : "s"} ${target ? `moved to "${target.name}"` : "revoked"}`;
    return {
      human: [`Deleted role "${role.name}" from ${org.slug} (${fate}).`],
      json: { id: role.id, name: role.name, grantsAffected, reassignedTo: target },
    };
  },
});
