"use client";

import { useActionState, useEffect, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { addGrantSchema } from "@/lib/grants/schemas";
import { BranchSelectOptions } from "@/components/access/branch-select-options";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { RoleSelect } from "@/components/access/role-select";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import type { GrantChoices } from "../grant-choices";

type GrantInput = z.input<typeof addGrantSchema>;
type GrantOutput = z.output<typeof addGrantSchema>;
type AddGrant = (prev: ActionResult<{ id: string }> | null, input: GrantOutput) => Promise<ActionResult<{ id: string }>>;

const blankToNull = (v: unknown) => (v === "" || v === undefined ? null : v);

/** Grant a role at a branch. Only branches where the actor holds users:manage are offered. */
export function AddGrantForm({ action, membershipId, choices }: { action: AddGrant; membershipId: string; choices: GrantChoices }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  // Default to a branch, not the whole organization: an org-wide grant should be a deliberate choice.
  const first = choices.branches.find((b) => b.value !== "")?.value ?? "";
  const form = useForm<GrantInput, unknown, GrantOutput>({ resolver: zodResolver(addGrantSchema), defaultValues: { membershipId, roleId: "", branchId: first || null } });
  const branchId = useWatch({ control: form.control, name: "branchId" }) ?? "";
  const roleId = useWatch({ control: form.control, name: "roleId" });
  const policy = choices.policies[choices.branches.find((b) => b.value === branchId)?.policy ?? -1] ?? {};
  const roleChoices = choices.roles.map((r) => ({ value: r.id, label: r.name, refusal: policy[r.id] ?? null }));
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;

  // A role allowed at the old branch may not be at the new one: clear it rather than submit a refusal.
  const roleRefused = Boolean(roleId && policy[roleId]);
  useEffect(() => {
    if (roleRefused) form.setValue("roleId", "");
  }, [roleRefused, form]);
  useEffect(() => {
    if (state?.ok) form.reset({ membershipId, roleId: "", branchId: first || null });
  }, [state, form, membershipId, first]);

  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2">
      <FormField label="Branch" error={errors.branchId?.message ?? server?.branchId?.[0]}>
        {(props) => (
          <select {...props} {...form.register("branchId", { setValueAs: blankToNull })}>
            <BranchSelectOptions branches={choices.branches} />
          </select>
        )}
      </FormField>
      <FormField label="Role" error={errors.roleId?.message ?? server?.roleId?.[0]}>
        {(props) => <RoleSelect {...props} {...form.register("roleId")} choices={roleChoices} reasonsId="grant-role-reasons" />}
      </FormField>
      <FormField label="Expires on (end of day, UTC; optional)" error={errors.expiresAt?.message ?? server?.expiresAt?.[0]}>
        {(props) => <input {...props} type="date" {...form.register("expiresAt", { setValueAs: (v: string) => (v ? `${v}T23:59:59Z` : null) })} />}
      </FormField>
      <div className="grid grid-cols-2 gap-2">
        <FormField label="Approval limit, minor units (optional)" error={errors.approvalLimitMinor?.message ?? server?.approvalLimitMinor?.[0]}>
          {(props) => <input {...props} inputMode="numeric" {...form.register("approvalLimitMinor", { setValueAs: (v: string) => (v === "" ? null : Number(v)) })} />}
        </FormField>
        <FormField label="Currency" error={errors.approvalLimitCurrency?.message ?? server?.approvalLimitCurrency?.[0]}>
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
