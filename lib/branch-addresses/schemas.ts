import { z } from "zod";

const CONTROL = /[\u0000-\u001f\u007f]/;
const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), { message: "must not contain control characters such as NUL or line breaks" });

// ISO 3166-1 alpha-2, checked against the runtime's region list so "XX" is refused by name.
const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
export const countryCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Z]{2}$/, { message: "must be a two-letter ISO 3166 country code in capitals, such as US or DE", abort: true })
  .refine(isRegion, { message: "is not an ISO 3166 country code" });

// ISO 3166's user-assigned codes (AA, QM-QZ, XA-XZ, ZZ) name no country, though the runtime
// knows some of them ("ZZ" is "Unknown Region"); Kosovo's XK is accepted, as carriers do.
const USER_ASSIGNED = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ)$/;

function isRegion(code: string): boolean {
  if (USER_ASSIGNED.test(code)) return false;
  try {
    return Boolean(regions.of(code));
  } catch {
    return false; // DisplayNames throws on a malformed code
  }
}

export const addressFieldsSchema = z.object({
  label: line(80).min(1, "is required"),
  lines: z.array(line(120).min(1, "must not be empty")).min(1, "needs at least one street line").max(4, "may have at most four lines"),
  city: line(80).min(1, "is required"),
  region: line(80).default(""),
  postalCode: line(20).default(""),
  country: countryCodeSchema,
  isShipTo: z.boolean().default(true),
  isDefault: z.boolean().default(false),
});

export const addBranchAddressSchema = addressFieldsSchema.extend({ branchId: z.uuid({ message: "must be a branch id" }) });
export type AddBranchAddressInput = z.input<typeof addBranchAddressSchema>;

export const updateBranchAddressSchema = z.object({
  branchId: z.uuid({ message: "must be a branch id" }),
  addressId: z.uuid({ message: "must be an address id" }),
  label: addressFieldsSchema.shape.label.optional(),
  lines: addressFieldsSchema.shape.lines.optional(),
  city: addressFieldsSchema.shape.city.optional(),
  region: line(80).optional(),
  postalCode: line(20).optional(),
  country: countryCodeSchema.optional(),
  isShipTo: z.boolean().optional(),
  isDefault: z.boolean().optional(),
});

export const removeBranchAddressSchema = z.object({ branchId: z.uuid({ message: "must be a branch id" }), addressId: z.uuid({ message: "must be an address id" }) });

export const branchAddressSchema = z.object({
  id: z.uuid(),
  branchId: z.uuid(),
  label: z.string(),
  lines: z.array(z.string()),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string(),
  isShipTo: z.boolean(),
  isDefault: z.boolean(),
});
export type BranchAddress = z.infer<typeof branchAddressSchema>;

/** The API's shape of an address row (no org id, no timestamps). */
export function toBranchAddress(row: BranchAddress): BranchAddress {
  const { id, branchId, label, lines, city, region, postalCode, country, isShipTo, isDefault } = row;
  return { id, branchId, label, lines, city, region, postalCode, country, isShipTo, isDefault };
}
