"use server";

import { revalidatePath } from "next/cache";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { removeBranchAddressCommand } from "@/lib/branch-addresses/remove-branch-address";
import { updateBranchAddressCommand } from "@/lib/branch-addresses/update-branch-address";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

// Each action authenticates and authorizes on its own; the commands load the branch within the
// org, check branches:manage there, and load the address within that branch.

type Result = ActionResult<{ id: string }>;

function readAddress(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    label: text("label"),
    lines: text("lines").split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
    city: text("city"),
    region: text("region"),
    postalCode: text("postalCode"),
    country: text("country").trim().toUpperCase(),
    isShipTo: form.get("isShipTo") === "on",
    isDefault: form.get("isDefault") === "on",
  };
}

export async function addAddressAction(org: string, branchId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const address = await runCommand(addBranchAddressCommand, principal, meta, { ...readAddress(form), branchId });
    revalidatePath(`/orgs/${org}/branches`);
    return { ok: true, data: { id: address.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function updateAddressAction(org: string, branchId: string, addressId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await runCommand(updateBranchAddressCommand, principal, meta, { ...readAddress(form), branchId, addressId });
    revalidatePath(`/orgs/${org}/branches`);
    return { ok: true, data: { id: addressId } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function removeAddressAction(org: string, branchId: string, addressId: string): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await runCommand(removeBranchAddressCommand, principal, meta, { branchId, addressId });
    revalidatePath(`/orgs/${org}/branches`);
    return { ok: true, data: { id: addressId } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
