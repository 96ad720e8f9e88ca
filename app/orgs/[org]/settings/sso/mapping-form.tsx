"use client";

import { useActionState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { mappingFormSchema, type MappingForm as MappingInput } from "@/lib/sso/admin-schemas";
import { BranchSelectOptions } from "@/components/access/branch-select-options";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { useResetOnSuccess } from "@/components/ui/use-reset-on-success";
import { FormField } from "@/components/ui/form-field";
import type { SsoChoices } from "./sso-choices";

type Output = z.output<typeof mappingFormSchema>;
type Add = (prev: unknown, input: Output) => Promise<ActionResult<{ id: string }>>;

const blankToNull = (v: unknown) => (v === "" || v === undefined ? null : v);

/** People whose claim holds the value get the role at the branch, re-applied at every sign-in. */
export function MappingForm({ action, choices }: { action: Add; choices: SsoChoices }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const defaults: MappingInput = { connectionId: choices.connections[0]?.id ?? "", claim: "groups", value: "", roleId: "", branchId: choices.branches.find((b) => b.value !== "")?.value ?? null };
  const form = useForm<MappingInput, unknown, Output>({ resolver: zodResolver(mappingFormSchema), defaultValues: defaults });
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;
  useResetOnSuccess(state, () => form.reset(defaults));
  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2" aria-label="Add a mapping rule">
      <FormField label="Connection" error={errors.connectionId?.message ?? server?.connectionId?.[0]}>
        {(props) => (
          <select {...props} {...form.register("connectionId")}>
            {choices.connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="Claim" error={errors.claim?.message ?? server?.claim?.[0]}>
        {(props) => <input {...props} {...form.register("claim")} />}
      </FormField>
      <FormField label="Value (a group name or id, exactly as the IdP sends it)" error={errors.value?.message ?? server?.value?.[0]}>
        {(props) => <input {...props} autoComplete="off" {...form.register("value")} />}
      </FormField>
      <FormField label="Role" error={errors.roleId?.message ?? server?.roleId?.[0]}>
        {(props) => (
          <select {...props} {...form.register("roleId")}>
            <option value="">Choose a role</option>
            {choices.roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="At branch" error={errors.branchId?.message ?? server?.branchId?.[0]}>
        {(props) => (
          <select {...props} {...form.register("branchId", { setValueAs: blankToNull })}>
            <BranchSelectOptions branches={choices.branches} />
          </select>
        )}
      </FormField>
      <div className="space-y-2 sm:col-span-2">
        <FormAlert message={state && !state.ok ? state.error : null} />
        {state?.ok ? <Notice>Rule added. It applies at each person&apos;s next sign-in.</Notice> : null}
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Adding…" : "Add rule"}
        </Button>
      </div>
    </form>
  );
}
