import { eq } from "drizzle-orm";
import { z } from "zod";
import { organizations } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";

/**
 * Whether every member of the org needs MFA (admin-class members always do). Changing it is a
 * sensitive setting: it needs a recent second factor, and an API token cannot do it.
 */
export const setMfaPolicyCommand = defineCommand({
  name: "org.mfa_policy.changed",
  description: "The organization's MFA policy changed: whether every member (not only those holding admin-class permissions) must use a second factor.",
  access: { permission: "org:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: z.object({ requireMfa: z.boolean({ message: "must be true or false" }) }),
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("org:manage", "");
    const [before] = await tx.select({ requireMfa: organizations.requireMfa }).from(organizations).where(eq(organizations.id, orgId));
    if (!before) notFound("Organization");
    await tx.update(organizations).set({ requireMfa: input.requireMfa }).where(eq(organizations.id, orgId));
    return { result: { requireMfa: input.requireMfa }, target: { type: "organization", id: orgId }, metadata: { before, after: { requireMfa: input.requireMfa } } };
  },
});
