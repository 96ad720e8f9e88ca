import { z } from "zod";
import { emailSchema } from "./schemas";

/** The change-email form, checked in the browser and again by the command (zod only, browser-safe). */
export const requestEmailChangeSchema = z.object({ newEmail: emailSchema });
export type RequestEmailChangeForm = z.infer<typeof requestEmailChangeSchema>;
