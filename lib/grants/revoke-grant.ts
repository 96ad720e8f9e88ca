import { and, eq } from "drizzle-orm";
import { branches, grants, roles } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError } from "@/lib/core/errors";
import { loadMember } from "./load-grant-target";
import { revokeGrantSchema } from "./schemas";

/** Revokes one grant; takes effect on the member's next request. Never one's own. */
export const revokeGrantCommand = defineCommand({
  name: "grant.revoked",
  description: "A grant was revoked; the member loses it on their next request.",
  access: { permission: "users:manage" },
  input: revokeGrantSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const [grant] = await tx
      .select({ id: grants.id, membershipId: grants.membershipId, branchId: grants.branchId, branchPath: branches.path, branchName: branches.name, roleName: roles.name })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .leftJoin(branches, eq(branches.id, grants.branchId))
      .where(and(eq(grants.orgId, orgId), eq(grants.id, input.grantId)));
    if (!grant) notFound("Grant");
    if (principal.membershipId && grant.membershipId === principal.membershipId) throw new ForbiddenError("You cannot change your own grants.", "users:manage");
    authorize("users:manage", grant.branchPath ?? "", "Grant");
    const member = await loadMember(tx, orgId, grant.membershipId);
    await tx.delete(grants).where(eq(grants.id, grant.id));
    return {
      result: { id: grant.id },
      target: { type: "grant", id: grant.id },
      branchId: grant.branchId,
      metadata: { before: { member: member.email, role: grant.roleName, branch: grant.branchName ?? "(organization)" } },
    };
  },
});
