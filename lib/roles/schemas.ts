import { z } from "zod";
import { allPermissions } from "@/lib/access/permissions";

const permission = z.enum(allPermissions as [string, ...string[]], { message: "is not a known permission" });

export const roleFieldsSchema = z.object({
  name: z.string().trim().min(1, "is required").max(60, "must be at most 60 characters"),
  description: z.string().trim().max(300, "must be at most 300 characters").default(""),
  permissions: z.array(permission).max(100).default([]),
  inherits: z.array(z.uuid({ message: "must be role ids" })).max(50).default([]),
});

export const createRoleSchema = roleFieldsSchema;
export const updateRoleSchema = roleFieldsSchema.extend({ roleId: z.uuid({ message: "must be a role id" }) });

/** Deleting a role in use must say what happens to its grants. */
export const deleteRoleSchema = z.object({
  roleId: z.uuid({ message: "must be a role id" }),
  grants: z.union([z.literal("revoke"), z.object({ reassignTo: z.uuid({ message: "must be a role id" }) })]).optional(),
});
