import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { isSameOriginRequest } from "@/lib/http/same-origin";
import { confirmTotpEnrollmentCommand } from "@/lib/mfa/confirm-totp-enrollment";
import { runAccountAction } from "../../../run-account-action";
import { setSessionCookie } from "../../../set-session-cookie";

export const dynamic = "force-dynamic";

type ConfirmResult = ActionResult<{ recoveryCodes: string[] | null }>;

function reply(result: ConfirmResult, status = result.ok ? 200 : 400): Response {
  return Response.json(result, { status, headers: { "cache-control": "no-store" } });
}

/**
 * POST: confirms a new authenticator app with a code from it (rotating the session id when that
 * finishes a forced enrollment) and answers with the recovery codes to show once. A route handler, not a server action: a server action
 * that sets a cookie makes Next render the page again, and the page would lose the codes.
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request.headers)) return reply({ ok: false, error: "This request did not come from a Countersign page." }, 403);
  const input: unknown = await request.json().catch(() => null);
  const result = await runAccountAction(async (principal, meta) => {
    const { recoveryCodes, sessionToken } = await runCommand(confirmTotpEnrollmentCommand, principal, meta, input);
    // Only an enrollment that finished a sign-in rotates the session id.
    if (sessionToken) await setSessionCookie(sessionToken);
    return { recoveryCodes };
  });
  return reply(result);
}
