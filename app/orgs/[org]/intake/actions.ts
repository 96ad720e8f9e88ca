"use server";

import { redirect } from "next/navigation";
import { runCommand } from "@/lib/core/command";
import { AppError } from "@/lib/core/errors";
import { correctDeadLetterCommand } from "@/lib/intake/dead-letters/correct-dead-letter";
import { discardDeadLetterCommand } from "@/lib/intake/dead-letters/discard-dead-letter";
import { processReplay } from "@/lib/intake/dead-letters/process-replay";
import { replayDeadLetterCommand } from "@/lib/intake/dead-letters/replay-dead-letter";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";

// The Intake page's forms: each runs the audited command (which does every check) and comes back to
// the page with a notice saying what happened, so the page works without client JavaScript.

function back(org: string, notice: string): never {
  redirect(`/orgs/${org}/intake?${new URLSearchParams({ notice: notice.slice(0, 300) }).toString()}`);
}

function failureText(error: unknown, requestId: string): string {
  if (error instanceof AppError) return error.message;
  console.error(`intake page action failed (request ${requestId})`, error);
  return `Something went wrong (request ${requestId}).`;
}

/** Replays a dead letter, with the corrected payload when one was typed in; then processes it at once. */
export async function replayDeadLetterAction(org: string, form: FormData): Promise<void> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  const deadLetterId = String(form.get("deadLetterId") ?? "");
  const payload = String(form.get("payload") ?? "");
  let notice: string;
  try {
    if (payload.trim()) await runCommand(correctDeadLetterCommand, principal, meta, { deadLetterId, payload });
    const replayed = await runCommand(replayDeadLetterCommand, principal, meta, { deadLetterId });
    const result = await processReplay(replayed);
    notice = result.status === "done"
      ? `Replayed: ${result.documents.map((d) => `document ${d.index + 1} ${d.status.replace("_", " ")}`).join(", ")}.`
      : result.status === "dead_letter" ? "Replayed, and it failed again: see the new dead letter." : "Replayed; a worker will finish it shortly.";
  } catch (error) {
    notice = failureText(error, meta.requestId);
  }
  back(org, notice);
}

export async function discardDeadLetterAction(org: string, form: FormData): Promise<void> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  let notice = "Discarded.";
  try {
    await runCommand(discardDeadLetterCommand, principal, meta, { deadLetterId: String(form.get("deadLetterId") ?? ""), reason: String(form.get("reason") ?? "") });
  } catch (error) {
    notice = failureText(error, meta.requestId);
  }
  back(org, notice);
}
