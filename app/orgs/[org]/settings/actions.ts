"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { setMfaPolicyCommand } from "@/lib/orgs/set-mfa-policy";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

// The org comes from the URL and the command checks org:manage at the org root and a recent
// second factor; without one, describeFailure sends the person to confirm it and back here.

type Result = ActionResult<{ requireMfa: boolean }>;

export async function setMfaPolicyAction(org: string, _prev: Result | null, input: { requireMfa?: unknown }): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const saved = await runCommand(setMfaPolicyCommand, principal, meta, { requireMfa: input?.requireMfa });
    revalidatePath(`/orgs/${org}/settings`);
    return { ok: true, data: saved };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
