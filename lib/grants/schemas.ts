import { z } from "zod";
import { isKnownCurrency, parseAmount } from "@/lib/accounts/money";
import { instantSchema } from "@/lib/core/input-rules";

const grantFields = {
  membershipId: z.uuid({ message: "must be a member of this organization" }),
  roleId: z.uuid({ message: "is required: pick a role" }),
  branchId: z.uuid({ message: "must be one of the branches offered" }).nullish(),
  expiresAt: instantSchema.nullish(),
  approvalLimitCurrency: z.string().regex(/^[A-Z]{3}$/, "must be a three-letter currency code such as USD").nullish(),
};

export const addGrantSchema = z
  .object({
    ...grantFields,
    // The API's amount is an integer in the currency's smallest unit (cents); the form takes 12.50.
    approvalLimitMinor: z.number().int("must be a whole number of cents (the currency's smallest unit)").min(0, "must not be negative").nullish(),
  })
  .refine((g) => (g.approvalLimitMinor == null) === (g.approvalLimitCurrency == null), { message: "needs both an amount and a currency (or neither)", path: ["approvalLimitCurrency"] })
  .refine((g) => !g.expiresAt || g.expiresAt.getTime() > Date.now(), { message: "must be in the future", path: ["expiresAt"] });

/**
 * The dashboard's grant form: the approval limit typed in the currency's own units ("2500" or
 * "2500.00" dollars), turned into the command's integer amount here, in the browser and again
 * on the server, with the reason in words when it is not an amount.
 */
export const addGrantFormSchema = z
  .object({ ...grantFields, approvalLimit: z.string().trim().max(24, "must be at most 24 characters").nullish() })
  .transform((g, ctx) => {
    const { approvalLimit, ...rest } = g;
    const text = approvalLimit ?? "";
    if (text === "") return { ...rest, approvalLimitMinor: null };
    const currency = g.approvalLimitCurrency ?? "";
    if (!isKnownCurrency(currency)) {
      ctx.addIssue({ code: "custom", path: ["approvalLimitCurrency"], message: "is needed with an approval limit: a three-letter code such as USD" });
      return z.NEVER;
    }
    const amount = parseAmount(text, currency);
    if (!amount.ok) {
      ctx.addIssue({ code: "custom", path: ["approvalLimit"], message: `must be an amount in ${currency}, such as 2500.00 (${amount.reason})` });
      return z.NEVER;
    }
    return { ...rest, approvalLimitMinor: amount.minor };
  });

export const revokeGrantSchema = z.object({ grantId: z.uuid({ message: "must be a grant of this member" }) });
