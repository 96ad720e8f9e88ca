import { z } from "zod";
import { defineCommand } from "@/lib/core/command";

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
