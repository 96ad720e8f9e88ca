"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { parseOptionalAmount, parsePriceText } from "@/lib/accounts/form-text";
import { removeAccountPriceCommand, setAccountPriceCommand } from "@/lib/catalog/account-prices";
import { createProductCommand } from "@/lib/catalog/create-product";
import { deleteProductCommand } from "@/lib/catalog/delete-product";
import { applyCatalogImportBatchCommand, type ImportProgress } from "@/lib/catalog/import/apply-catalog-import-batch";
import { updateProductCommand } from "@/lib/catalog/update-product";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

// Each action authenticates and authorizes on its own: the commands check that the member is
// the supplier's staff (catalog:manage, or accounts:manage for account prices) and load the
// product and the account within the supplier's own.

type Result = ActionResult<{ id: string }>;

function readProduct(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  const prices = parsePriceText(text("prices"));
  if (!prices.ok) throw new ValidationError({ prices: [prices.reason] });
  return { sku: text("sku"), name: text("name"), description: text("description"), category: text("category"), unit: text("unit") || "each", active: form.get("active") === "on", prices: prices.value };
}

export async function createProductAction(org: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  let id: string;
  try {
    id = (await runCommand(createProductCommand, principal, meta, readProduct(form))).id;
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/catalog`);
  redirect(`/orgs/${org}/catalog/${id}?notice=created`);
}

export async function updateProductAction(org: string, productId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await runCommand(updateProductCommand, principal, meta, { ...readProduct(form), productId });
    revalidatePath(`/orgs/${org}/catalog`, "layout");
    return { ok: true, data: { id: productId } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function deleteProductAction(org: string, productId: string): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await runCommand(deleteProductCommand, principal, meta, { productId });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/catalog`);
  redirect(`/orgs/${org}/catalog?notice=deleted`);
}

export async function setAccountPriceAction(org: string, productId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const currency = String(form.get("currency") ?? "").trim().toUpperCase();
    const price = parseOptionalAmount(String(form.get("price") ?? ""), currency);
    if (!price.ok || price.value === null) throw new ValidationError({ unitPriceMinor: [price.ok ? "is required" : price.reason] });
    await runCommand(setAccountPriceCommand, principal, meta, { productId, accountId: String(form.get("accountId") ?? ""), currency, unitPriceMinor: price.value });
    revalidatePath(`/orgs/${org}/catalog/${productId}`);
    return { ok: true, data: { id: productId } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function removeAccountPriceAction(org: string, productId: string, accountId: string, currency: string): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await runCommand(removeAccountPriceCommand, principal, meta, { productId, accountId, currency });
    revalidatePath(`/orgs/${org}/catalog/${productId}`);
    return { ok: true, data: { id: productId } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

/** Applies the next batch of an import; the page calls it until `done`, showing the progress. */
export async function applyImportBatchAction(org: string, importId: string): Promise<ActionResult<ImportProgress>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const progress = await runCommand(applyCatalogImportBatchCommand, principal, meta, { importId });
    if (progress.done) revalidatePath(`/orgs/${org}/catalog`, "layout");
    return { ok: true, data: progress };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
