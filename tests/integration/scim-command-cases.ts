import { runCommand } from "@/lib/core/command";
import { revokeScimTokenCommand } from "@/lib/scim/tokens/revoke-scim-token";
import { makeOrg, meta } from "../support/factories";
import { makeScimToken } from "../support/scim-client";

/** One case per SCIM command for the commands-audit table: each must append exactly one event. */
export function scimCommandCases(): Record<string, () => Promise<unknown>> {
  return {
    "scim.token.created": async () => makeScimToken((await makeOrg()).operator),
    "scim.token.revoked": async () => {
      const org = await makeOrg();
      const created = await makeScimToken(org.operator);
      return runCommand(revokeScimTokenCommand, org.operator, meta, { tokenId: created.id });
    },
  };
}
