import { and, eq, sql } from "drizzle-orm";
import { grants, memberships, roles, users } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/core/errors";
import { includesAdminClass } from "@/lib/access/admin-class";
import { checkGrantDelegation } from "@/lib/access/delegation";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { hashPassword } from "./passwords";
import { issueInvitation } from "./resend-invitation";
import { createMemberSchema } from "./schemas";

/**
 * Adds a person to the org with one role at one branch. A new person gets a user record; an
 * existing one (matched by email, case-insensitively) just gains the membership. Without a
 * password the membership stays "invited" and the result carries the invitation mail, which the
 * caller sends once this has committed. Only the operator (CLI, demo seed) may pass a password:
 * an administrator never chooses another person's password.
 */
export const createMemberCommand = defineCommand({
  name: "member.created",
  description: "A person was added to the organization with one role at one branch (a new user record, or an existing user by email gaining a membership). Someone without a password stays invited and is sent an invitation link to choose one; only the operator may set a password here.",
  access: { permission: "users:manage" },
  input: createMemberSchema,
  async run({ tx, principal, authorize, requireStepUp }, input) {
    if (input.password !== undefined && principal.actor.type !== "system") {
      throw new ValidationError({ password: ["an administrator cannot set another person's password; they get an invitation to choose their own"] });
    }
    const orgId = principal.org?.id ?? notFound("Organization");
    const branch = input.branchId ? ((await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch")) : null;
    authorize("users:manage", branch?.path ?? "");
    const [role] = await tx.select().from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, input.roleName)));
    if (!role) throw new ValidationError({ roleName: [`no role named "${input.roleName}" in this organization`] });
    // Adding a member grants them a role: the same no-escalation rule as any other grant.
    const rolePermissions = effectivePermissions(await loadRoleGraph(tx, orgId), role.id);
    const check = checkGrantDelegation(principal.access, { actorMembershipId: principal.membershipId, targetMembershipId: "new member", rolePermissions, branchPath: branch?.path ?? "" });
    if (!check.ok) throw new ForbiddenError(check.reason, "users:manage");
    // Like any grant of an admin-class role: a recent second factor, never an API token.
    if (includesAdminClass(rolePermissions)) requireStepUp("mfa", { apiTokens: "refuse" });

    let [user] = await tx.select().from(users).where(eq(sql`lower(${users.email})`, input.email.toLowerCase()));
    const isNewUser = !user;
    if (!user) {
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      [user] = await tx.insert(users).values({ email: input.email, name: input.name ?? input.email.split("@")[0]!, passwordHash }).returning();
    }
    const [existing] = await tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, user!.id)));
    if (existing) throw new ConflictError(`${input.email} is already a member of this organization.`, "email");
    const status = user!.passwordHash ? "active" : "invited";
    const [membership] = await tx.insert(memberships).values({ orgId, userId: user!.id, status }).returning();
    await tx.insert(grants).values({ orgId, membershipId: membership!.id, roleId: role.id, branchId: branch?.id ?? null });
    const invitation = status === "invited" ? await issueInvitation(tx, principal, { userId: user!.id, membershipId: membership!.id, email: user!.email }) : null;
    return {
      result: { userId: user!.id, membershipId: membership!.id, status, isNewUser, invitation },
      target: { type: "membership", id: membership!.id },
      branchId: branch?.id ?? null,
      metadata: { after: { email: input.email, role: role.name, branchId: branch?.id ?? null, status, isNewUser } },
    };
  },
});
