import { z } from "zod";
import { ValidationError } from "@/lib/core/errors";
import { updateAccountSchema } from "@/lib/accounts/schemas";
import { updateBranchAddressSchema } from "@/lib/branch-addresses/schemas";
import { removeAccountPriceSchema, setAccountPriceSchema, updateProductSchema } from "@/lib/catalog/schemas";

/*
 * Request bodies and query strings of the catalog, accounts and branch-address routes that are
 * not a command's input as it is: the id comes from the path, so the body may not carry one.
 * Strict, so a misspelt field is refused by name instead of being ignored.
 */
export const updateProductBodySchema = z.strictObject(updateProductSchema.omit({ productId: true }).shape);
export const updateAccountBodySchema = z.strictObject(updateAccountSchema.omit({ accountId: true }).shape);
export const updateBranchAddressBodySchema = z.strictObject(updateBranchAddressSchema.omit({ branchId: true, addressId: true }).shape);
export const setAccountPriceBodySchema = z.strictObject(setAccountPriceSchema.omit({ productId: true }).shape);
export const removeAccountPriceQuerySchema = z.strictObject(removeAccountPriceSchema.omit({ productId: true }).shape);
export const productDetailQuerySchema = z.strictObject({ currency: z.string().max(8).optional() });

/** Parses a body with a strict schema, naming each bad or unknown field like the commands do. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) (errors[key.slice(0, 64)] ??= []).push("is not a known field");
    else (errors[issue.path.map(String).join(".")] ??= []).push(issue.message);
  }
  throw new ValidationError(errors);
}
