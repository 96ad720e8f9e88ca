"use client";

import { useActionState, useEffect, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { addGrantFormSchema } from "@/lib/grants/schemas";
import { BranchSelectOptions } from "@/components/access/branch-select-options";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { RoleSelect } from "@/components/access/role-select";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";
import type { GrantChoices } from "../grant-choices";

type GrantInput = z.input<typeof addGrantFormSchema>;
type GrantOutput = z.output<typeof addGrantFormSchema>;
type AddGrant = (prev: ActionResult<{ id: string }> | null, input: GrantOutput) => Promise<ActionResult<{ id: string }>>;

const blankToNull = (v: unknown) => (v === "" || v === undefined ? null : v);

/** Grant a role at a branch. Only branches where the actor holds users:manage are offered. */
export function AddGrantForm({ action, membershipId, choices }: { action: AddGrant; membershipId: string; choices: GrantChoices }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  // Default to a branch, not the whole organization: an org-wide grant should be a deliberate choice.
  const first = choices.branches.find((b) => b.value !== "")?.value ?? "";
  const form = useForm<GrantInput, unknown, GrantOutput>({ resolver: plainResolver(addGrantFormSchema), defaultValues: { membershipId, roleId: "", branchId: first || null, approvalLimit: "" } });
  const branchId = useWatch({ control: form.control, name: "branchId" }) ?? "";
  const roleId = useWatch({ control: form.control, name: "roleId" });
  const policy = choices.policies[choices.branches.find((b) => b.value === branchId)?.policy ?? -1] ?? {};
  const roleChoices = choices.roles.map((r) => ({ value: r.id, label: r.name, refusal: policy[r.id] ?? null }));
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;
  const fieldErrors = useFieldErrors(state);

  // A role allowed at the old branch may not be at the new one: clear it rather than submit a refusal.
  const roleRefused = Boolean(roleId && policy[roleId]);
  useEffect(() => {
    if (roleRefused) form.setValue("roleId", "");
  }, [roleRefused, form]);
  useEffect(() => {
    if (state?.ok) form.reset({ membershipId, roleId: "", branchId: first || null, approvalLimit: "" });
  }, [state, form, membershipId, first]);

  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  return (
    <form onSubmit={onSubmit} onChange={fieldErrors.onChange} noValidate className="grid gap-4 sm:grid-cols-2">
      <FormField label="Branch" error={errors.branchId?.message ?? fieldErrors.error("branchId")}>
        {(props) => (
          <select {...props} {...form.register("branchId", { setValueAs: blankToNull })}>
            <BranchSelectOptions branches={choices.branches} />
          </select>
        )}
      </FormField>
      <FormField label="Role" error={errors.roleId?.message ?? fieldErrors.error("roleId")}>
        {(props) => <RoleSelect {...props} {...form.register("roleId")} choices={roleChoices} reasonsId="grant-role-reasons" />}
      </FormField>
      <FormField label="Expires on (end of day, UTC; optional)" error={errors.expiresAt?.message ?? fieldErrors.error("expiresAt")}>
        {(props) => <input {...props} type="date" {...form.register("expiresAt", { setValueAs: (v: string) => (v ? `${v}T23:59:59Z` : null) })} />}
      </FormField>
      <div className="grid grid-cols-2 gap-2">
        <FormField label="Approval limit (optional)" error={errors.approvalLimit?.message ?? fieldErrors.error("approvalLimitMinor", "approvalLimit")}>
          {(props) => <input {...props} inputMode="decimal" placeholder="2500.00" {...form.register("approvalLimit")} />}
        </FormField>
        <FormField label="Currency" error={errors.approvalLimitCurrency?.message ?? fieldErrors.error("approvalLimitCurrency")}>
          {(props) => <input {...props} maxLength={3} placeholder="USD" {...form.register("approvalLimitCurrency", { setValueAs: (v: string) => (v ? v.toUpperCase() : null) })} />}
        </FormField>
      </div>
      <div className="space-y-2 sm:col-span-2">
        <FormAlert message={state && !state.ok && !server ? state.error : null} />
        {state?.ok ? <Notice>Grant added.</Notice> : null}
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Adding…" : "Add grant"}
        </Button>
      </div>
    </form>
  );
}
