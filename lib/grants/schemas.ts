import { z } from "zod";
import { instantSchema } from "@/lib/core/input-rules";

export const addGrantSchema = z
  .object({
    membershipId: z.uuid({ message: "must be a member id" }),
    roleId: z.uuid({ message: "must be a role id" }),
    branchId: z.uuid({ message: "must be a branch id" }).nullish(),
    expiresAt: instantSchema.nullish(),
    approvalLimitMinor: z.number().int("must be a whole number of minor units").min(0, "must not be negative").nullish(),
    approvalLimitCurrency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").nullish(),
  })
  .refine((g) => (g.approvalLimitMinor == null) === (g.approvalLimitCurrency == null), { message: "needs both an amount and a currency", path: ["approvalLimitCurrency"] })
  .refine((g) => !g.expiresAt || g.expiresAt.getTime() > Date.now(), { message: "must be in the future", path: ["expiresAt"] });

export const revokeGrantSchema = z.object({ grantId: z.uuid({ message: "must be a grant id" }) });
