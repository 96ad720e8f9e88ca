"use client";

import { useActionState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { domainFormSchema, type DomainForm as DomainInput } from "@/lib/sso/admin-schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { useResetOnSuccess } from "@/components/ui/use-reset-on-success";
import { FormField } from "@/components/ui/form-field";

type Output = z.output<typeof domainFormSchema>;
type Add = (prev: unknown, input: Output) => Promise<ActionResult<{ id: string; verified: boolean }>>;

const blankToNull = (v: unknown) => (v === "" || v === undefined ? null : v);

/** Claim an email domain for a connection; its TXT record then appears in the list below. */
export function DomainForm({ action, connections }: { action: Add; connections: Array<{ id: string; name: string }> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const defaults: DomainInput = { domain: "", connectionId: connections[0]?.id ?? null };
  const form = useForm<DomainInput, unknown, Output>({ resolver: zodResolver(domainFormSchema), defaultValues: defaults });
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;
  useResetOnSuccess(state, () => form.reset(defaults));
  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2" aria-label="Add a domain">
      <FormField label="Email domain" error={errors.domain?.message ?? server?.domain?.[0]}>
        {(props) => <input {...props} placeholder="example.com" autoComplete="off" {...form.register("domain")} />}
      </FormField>
      <FormField label="Send people at this domain to" error={errors.connectionId?.message ?? server?.connectionId?.[0]}>
        {(props) => (
          <select {...props} {...form.register("connectionId", { setValueAs: blankToNull })}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            <option value="">No connection (own the accounts only)</option>
          </select>
        )}
      </FormField>
      <div className="space-y-2 sm:col-span-2">
        <FormAlert message={state && !state.ok ? state.error : null} />
        {state?.ok ? <Notice>Domain added. Publish its TXT record, then press “Check DNS”.</Notice> : null}
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Adding…" : "Add domain"}
        </Button>
      </div>
    </form>
  );
}
