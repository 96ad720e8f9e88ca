import { z } from "zod";
import type { Db } from "@/db/client";
import { noAccess } from "@/lib/access/access";
import { defineCommand, runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { recordCountedRefusals } from "./record-counted-refusals";
import { refusalRules, tallyRefusal, type TallyVerdict } from "./refusal-tally";

// Only the public prefix of a token that looks like ours is kept (it is stored in clear anyway);
// anything else pasted into the header may be a secret of another system.
const OUR_TOKEN_PREFIX = /^cs_[A-Za-z0-9_-]{7}/;

export function publicTokenPrefix(token: string): string | null {
  return OUR_TOKEN_PREFIX.exec(token)?.[0] ?? null;
}

/** Records a bearer token the API refused, so probing with stolen or guessed tokens shows up. */
export const recordRejectedApiTokenCommand = defineCommand({
  name: "auth.api-token.rejected",
  description: "The API refused a bearer token (unknown, revoked, expired, or its member suspended): outcome \"denied\", filed under no organization, with only the public prefix of a token that looks like ours.",
  access: "public",
  input: z.object({ prefix: z.string().max(10).nullable() }),
  async run(_ctx, input) {
    return { result: null, outcome: "denied", metadata: { prefix: input.prefix } };
  },
});

const anonymous: Principal = { actor: { type: "anonymous", label: "bearer token" }, org: null, membershipId: null, access: noAccess };

/**
 * A refused bearer token, throttled and aggregated per client address (refusal-tally.ts): the
 * first refusal of a prefix in a window is recorded as before, repeats are counted, and past the
 * address's limit the caller answers 429. Windows that closed with counts are recorded first.
 */
export async function refuseApiToken(db: Db, meta: RequestMeta, token: string): Promise<TallyVerdict> {
  const prefix = publicTokenPrefix(token);
  const { tally, closed } = await tallyRefusal(db, refusalRules["auth.api-token.rejected"], meta.ip, { prefix });
  await recordCountedRefusals(db, closed);
  if (tally.verdict === "record") await runCommand(recordRejectedApiTokenCommand, anonymous, meta, { prefix }, db);
  return tally;
}
