import { z } from "zod";

export const orgSlugSchema = z
  .string()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(48, "must be at most 48 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "may contain only lowercase letters, digits and inner hyphens");

export const createOrgSchema = z.object({
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
  slug: orgSlugSchema,
});
