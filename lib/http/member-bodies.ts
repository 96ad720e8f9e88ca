import { z } from "zod";
import { memberListQuerySchema } from "@/lib/identity/list-members";
import { revokeMemberSessionsSchema } from "@/lib/identity/revoke-member-sessions";
import { createMemberSchema } from "@/lib/identity/schemas";
import { updateMemberSchema } from "@/lib/identity/update-member";

/*
 * The member routes' query strings and bodies: the commands' inputs without the id (it comes from
 * the path) and without the operator's password. Strict, so a misspelt field is refused by name.
 */
export const memberListApiQuerySchema = z.strictObject(memberListQuerySchema.shape);
export const inviteMemberBodySchema = z.strictObject(createMemberSchema.omit({ password: true }).shape);
export const updateMemberBodySchema = z.strictObject(updateMemberSchema.omit({ membershipId: true }).shape);
export const revokeMemberSessionsBodySchema = z.strictObject(revokeMemberSessionsSchema.omit({ membershipId: true }).shape);
