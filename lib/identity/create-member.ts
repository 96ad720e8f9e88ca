import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, sql } from "drizzle-orm";
import { grants, memberships, roles, users } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { lockOrg } from "@/lib/core/advisory-lock";
import { defineCommand, notFound, type CommandContext } from "@/lib/core/command";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/core/errors";
import { includesAdminClass } from "@/lib/access/admin-class";
import { checkGrantDelegation } from "@/lib/access/delegation";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { hashPassword } from "./passwords";
import { issueInvitation } from "./resend-invitation";
import type { MemberSource } from "./member-columns";
import { createMemberSchema, type CreateMemberInput } from "./schemas";

/**
 * Adds a person to the org with one role at one branch. The membership is "invited" and the
 * result carries the invitation mail, which the caller sends once this has committed; the person
 * joins only by accepting it (a new person chooses a password; someone who already has an
 * account accepts signed in as themselves). The answer, the stored membership and the audit
 * event are the same whether or not the address has an account, so adding a member never tells
 * an org who has one elsewhere. Only the operator (CLI, demo seed) may pass a password, and only
 * for a new account, which is then active at once: an administrator never chooses another
 * person's password, and nobody joins an org without agreeing to.
 */
export const createMemberCommand = defineCommand({
  name: "member.created",
  description: "A person was added to the organization with one role at one branch, as invited: they were sent an invitation link and join only by accepting it. The event reads the same whether or not the address already had an account. Only the operator may set a password here, for a new account only (it is then active at once).",
  access: { permission: "users:manage" },
  input: createMemberSchema,
  run: (ctx, input) => addMember(ctx, input, input.password !== undefined ? "manual" : "invitation"),
});

/**
 * The body of member.created, for every way a member is added: the dashboard, REST and the CLI
 * ("invitation", or "manual" for the operator's password), a CSV import row ("import"), and later
 * SCIM. Runs inside the calling command's transaction; the caller files the audit event.
 */
export async function addMember({ tx, principal, authorize, requireStepUp }: CommandContext, input: CreateMemberInput, source: MemberSource) {
  if (input.password !== undefined && principal.actor.type !== "system") {
    throw new ValidationError({ password: ["an administrator cannot set another person's password; they get an invitation to choose their own"] });
  }
  const orgId = principal.org?.id ?? notFound("Organization");
  const branch = input.branchId ? ((await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch")) : null;
  authorize("users:manage", branch?.path ?? "");
  // What the role hands out must not change between this check and the commit (a role edit).
  await lockOrg(tx, orgId, "roles", "shared");
  const [role] = await tx.select().from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, input.roleName)));
  if (!role) throw new ValidationError({ roleName: [`no role named "${input.roleName}" in this organization`] });
  // Adding a member grants them a role: the same no-escalation rule as any other grant.
  const rolePermissions = effectivePermissions(await loadRoleGraph(tx, orgId), role.id);
  const check = checkGrantDelegation(principal.access, { actorMembershipId: principal.membershipId, targetMembershipId: "new member", rolePermissions, branchPath: branch?.path ?? "" });
  if (!check.ok) throw new ForbiddenError(check.reason, "users:manage");
  // Like any grant of an admin-class role: a recent second factor, never an API token.
  if (includesAdminClass(rolePermissions)) requireStepUp("mfa", { apiTokens: "refuse" });

  const [existingUser] = await tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, input.email.toLowerCase()));
  // Only the operator gets here with a password; it may not set one on someone else's account.
  if (existingUser && input.password !== undefined) throw new ValidationError({ password: ["cannot be set: this address already has an account; leave the password out and they are invited to join"] });
  const userId = existingUser?.id ?? (await insertUser(tx, input));
  const [existing] = await tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (existing) throw new ConflictError(`${input.email} is already a member of this organization.`, "email");
  const status: "active" | "invited" = input.password !== undefined ? "active" : "invited";
  // Shown until they accept, instead of an existing account's own name and spelling (member-display.ts).
  const invitedAs = status === "invited" ? { invitedEmail: input.email, invitedName: input.name ?? null } : {};
  const [membership] = await tx.insert(memberships).values({ orgId, userId, status, source, ...invitedAs }).returning();
  await tx.insert(grants).values({ orgId, membershipId: membership!.id, roleId: role.id, branchId: branch?.id ?? null });
  // Mailed to the address as typed, so even the recipient line is the same either way.
  const invitation = status === "invited" ? await issueInvitation(tx, principal, { userId, membershipId: membership!.id, email: input.email }) : null;
  return {
    result: { userId, membershipId: membership!.id, status, invitation },
    target: { type: "membership", id: membership!.id, label: input.email },
    branchId: branch?.id ?? null,
    metadata: { after: { email: input.email, role: role.name, branchId: branch?.id ?? null, status, source } },
  };
}

async function insertUser(tx: CommandTx, input: { email: string; name?: string; password?: string }): Promise<string> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const [user] = await tx.insert(users).values({ email: input.email, name: input.name ?? input.email.split("@")[0]!, passwordHash }).returning({ id: users.id });
  return user!.id;
}
