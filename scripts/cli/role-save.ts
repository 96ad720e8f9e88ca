import { defineCliCommand, listFlag, requiredFlag, stringFlag, type CliFlags, type CliOption } from "./define-cli-command";
import type { OrgRef } from "@/lib/core/context";
import type { Db } from "@/db/client";

const definitionOptions: CliOption[] = [
  { flag: "description", value: "text", description: "What the role is for", field: "description" },
  { flag: "permission", value: "permission", description: "A permission the role holds itself, e.g. orders:create (repeat for more)", field: "permissions", multiple: true },
  { flag: "inherits", value: "role", description: "A role whose permissions this one also carries, by name or id (repeat for more)", field: "inherits", multiple: true },
];

/** "none" as the only value empties a list (`--inherits none`); no flag at all means "not given". */
async function readLists(db: Db, org: OrgRef, flags: CliFlags) {
  const { resolveRoles } = await import("./access-modules");
  const permissions = listFlag(flags, "permission");
  const inherits = listFlag(flags, "inherits");
  const isNone = (values: string[]) => values.length === 1 && values[0]!.trim().toLowerCase() === "none";
  return {
    permissions: permissions && (isNone(permissions) ? [] : permissions.map((p) => p.trim())),
    inherits: inherits && (isNone(inherits) ? [] : await resolveRoles(db, org, inherits, { flag: "inherits", field: "inherits" })),
  };
}

const summarize = (permissions: string[], inherits: string[]) =>
  `permissions ${permissions.length ? [...permissions].sort().join(", ") : "(none)"}; inherits ${inherits.length ? inherits.join(", ") : "(none)"}`;

export const createRoleCli = defineCliCommand({
  words: ["role", "create"],
  summary: "Create a role with permissions and inherited roles",
  options: [{ flag: "org", value: "slug", description: "The organization", required: true }, { flag: "name", value: "name", description: "Role name, unique in the organization", required: true, field: "name" }, ...definitionOptions],
  details: ["Inheritance must stay acyclic: a role cannot inherit itself or a role that inherits it."],
  examples: ['role create --org acme --name "Senior Buyer" --permission orders:approve --inherits Buyer'],
  async run({ flags, db }) {
    const { atFlagFields, createRoleCommand, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const lists = await readLists(db, org, flags);
    const inherits = lists.inherits ?? [];
    const input = { name: requiredFlag(flags, "name"), description: stringFlag(flags, "description"), permissions: lists.permissions ?? [], inherits: inherits.map((r) => r.id) };
    const { id } = await atFlagFields(runCommand(createRoleCommand, systemPrincipal("cli", org), systemMeta("cli"), input, db));
    const name = input.name.trim();
    return {
      human: [`Created role "${name}" in ${org.slug} (id ${id}): ${summarize(input.permissions, inherits.map((r) => r.name))}.`],
      json: { id, name, permissions: input.permissions, inherits },
    };
  },
});

export const updateRoleCli = defineCliCommand({
  words: ["role", "update"],
  summary: "Change a role; --permission and --inherits replace the whole list when given",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "role", value: "role", description: "The role, by name or id", required: true, field: "roleId" },
    { flag: "name", value: "name", description: "New name (default: unchanged)", field: "name" },
    ...definitionOptions,
  ],
  details: ["Options left out keep their current value. `--permission none` or `--inherits none` empties that list."],
  examples: ["role update --org acme --role Buyer --permission orders:create --permission orders:read-own --inherits Viewer", "role update --org acme --role Auditor --inherits none"],
  async run({ flags, db }) {
    const { atFlagFields, listRoles, readAs, resolveOrg, resolveRole, runCommand, systemMeta, systemPrincipal, updateRoleCommand } = await import("./access-modules");
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const operator = systemPrincipal("cli", org);
    const ref = await resolveRole(db, org, requiredFlag(flags, "role"), { flag: "role", field: "roleId" });
    const current = (await readAs(operator, (tx) => listRoles(tx, operator), db)).find((r) => r.id === ref.id)!;
    const lists = await readLists(db, org, flags);
    const inherits = lists.inherits ?? current.inherits;
    const input = {
      roleId: current.id,
      name: stringFlag(flags, "name") ?? current.name,
      description: stringFlag(flags, "description") ?? current.description,
      permissions: lists.permissions ?? current.direct,
      inherits: inherits.map((r) => r.id),
    };
    await atFlagFields(runCommand(updateRoleCommand, operator, systemMeta("cli"), input, db));
    const name = input.name.trim();
    const renamed = name === current.name ? "" : ` (was "${current.name}")`;
    return {
      human: [`Updated role "${name}"${renamed} in ${org.slug}: ${summarize(input.permissions, inherits.map((r) => r.name))}.`],
      json: { id: current.id, name, description: input.description.trim(), permissions: input.permissions, inherits },
    };
  },
});
