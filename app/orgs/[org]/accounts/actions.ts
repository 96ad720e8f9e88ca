"use server";

import { revalidatePath } from "next/cache";
import { parseOptionalAmount, parseRateText } from "@/lib/accounts/form-text";
import { openAccountCommand } from "@/lib/accounts/open-account";
import { updateAccountCommand } from "@/lib/accounts/update-account";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

// Each action authenticates and authorizes on its own; the commands check that the member is
// the supplier's staff with accounts:manage, and load the account within the supplier's accounts.

type Result = ActionResult<{ id: string }>;

/** The form's typed text as the command's input; a reason on the field that holds it. */
function readTerms(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  const baseCurrency = text("baseCurrency").trim().toUpperCase();
  const rates = parseRateText(text("currencies"));
  const limit = parseOptionalAmount(text("creditLimit"), baseCurrency);
  const errors: Record<string, string[]> = {};
  if (!rates.ok) errors.currencies = [rates.reason];
  if (!limit.ok) errors.creditLimitMinor = [limit.reason];
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { baseCurrency, tier: text("tier").trim() || undefined, currencies: rates.ok ? rates.value : [], creditLimitMinor: limit.ok ? limit.value : null };
}

export async function openAccountAction(org: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const input = { ...readTerms(form), orgId: String(form.get("orgId") ?? "") };
    const account = await runCommand(openAccountCommand, principal, meta, input);
    revalidatePath(`/orgs/${org}/accounts`);
    return { ok: true, data: { id: account.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function updateAccountAction(org: string, accountId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const account = await runCommand(updateAccountCommand, principal, meta, { ...readTerms(form), accountId });
    revalidatePath(`/orgs/${org}/accounts`, "layout");
    return { ok: true, data: { id: account.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
