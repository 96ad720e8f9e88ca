import { noAccess } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";

/** Someone not signed in, for the public commands (forgot password, reset and invitation links). */
export function anonymousPrincipal(label = "anonymous"): Principal {
  return { actor: { type: "anonymous", label }, org: null, membershipId: null, access: noAccess };
}
