"use client";

import { useActionState, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";

type Link = (prev: unknown, input: { connectionId: string; email: string; subject: string }) => Promise<ActionResult<{ id: string; userId: string }>>;

/** An administrator links a member (by email, at a domain the org owns) to an identity's subject. */
export function LinkMemberForm({ action, connections }: { action: Link; connections: Array<{ id: string; name: string }> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const [values, setValues] = useState({ connectionId: connections[0]?.id ?? "", email: "", subject: "" });
  const server = state && !state.ok ? state.fieldErrors : undefined;
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));
  return (
    <form
      className="grid gap-3 sm:grid-cols-3"
      noValidate
      aria-label="Link a member to an identity"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(() => dispatch(values));
      }}
    >
      <FormField label="Connection" error={server?.connectionId?.[0]}>
        {(props) => (
          <select {...props} value={values.connectionId} onChange={set("connectionId")}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="Member's email" error={server?.email?.[0]}>
        {(props) => <input {...props} type="email" autoComplete="off" value={values.email} onChange={set("email")} />}
      </FormField>
      <FormField label="Subject at the IdP" error={server?.subject?.[0]}>
        {(props) => <input {...props} autoComplete="off" value={values.subject} onChange={set("subject")} />}
      </FormField>
      <div className="space-y-2 sm:col-span-3">
        <FormAlert message={state && !state.ok ? state.error : null} />
        {state?.ok ? <Notice>Linked: that member&apos;s next sign-in through this connection as that subject reaches their account.</Notice> : null}
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Linking…" : "Link"}
        </Button>
      </div>
    </form>
  );
}
