import { z } from "zod";

/** The Users page's bulk actions: what to do to which selected members. */
export const bulkMemberActionSchema = z
  .object({
    ids: z.array(z.uuid({ message: "must be member ids" })).min(1, "select at least one member").max(200, "select at most 200 members at once"),
    action: z.enum(["deactivate", "grant", "move"], { message: 'must be "deactivate", "grant" or "move"' }),
    roleId: z.uuid({ message: "choose a role" }).optional(),
    branchId: z.union([z.uuid({ message: "choose a branch" }), z.literal("")]).optional(),
  })
  .refine((b) => b.action !== "grant" || b.roleId, { message: "choose a role to grant", path: ["roleId"] })
  .refine((b) => b.action !== "move" || b.branchId !== undefined, { message: "choose where to move them", path: ["branchId"] });
export type BulkMemberAction = z.infer<typeof bulkMemberActionSchema>;
