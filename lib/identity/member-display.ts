import { sql } from "drizzle-orm";
import { memberships, users } from "@/db/schema";

/**
 * What an org shows of a member. Until the person accepts an invitation, only what the inviter
 * typed: an org must not learn an existing account's own name, or how its address is spelled,
 * before that person has agreed to join. After that, the person's own email and name.
 * A new address with no name typed gets the part before "@" either way (as its user record does).
 */
export const memberEmail = sql<string>`coalesce(${memberships.invitedEmail}, ${users.email})`;
export const memberName = sql<string>`coalesce(${memberships.invitedName}, split_part(${memberships.invitedEmail}, '@', 1), ${users.name})`;
