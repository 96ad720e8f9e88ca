"use client";

import { useActionState, useEffect, useTransition } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionResult } from "@/lib/core/action-result";
import { renameBranchSchema } from "@/lib/branches/schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";

// The name rule is the same for creating and renaming; take it from the shared schema.
const nameSchema = renameBranchSchema.pick({ name: true });
type NameInput = { name: string };
type SaveName = (prev: ActionResult<{ id: string }> | null, input: NameInput) => Promise<ActionResult<{ id: string }>>;

interface Props {
  action: SaveName;
  label: string;
  submitLabel: string;
  defaultName?: string;
  doneMessage: string;
  /** Clear the field after success (creating), or keep the new name (renaming). */
  resetOnSuccess?: boolean;
}

/** One name field: used to add a branch (top-level or child) and to rename one. */
export function BranchNameForm({ action, label, submitLabel, defaultName = "", doneMessage, resetOnSuccess = false }: Props) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const form = useForm<NameInput>({ resolver: zodResolver(nameSchema), defaultValues: { name: defaultName } });
  const server = state && !state.ok ? state.fieldErrors : undefined;

  useEffect(() => {
    if (state?.ok && resetOnSuccess) form.reset({ name: "" });
  }, [state, resetOnSuccess, form]);

  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-3">
      <div className="min-w-64 flex-1">
        <FormField label={label} error={form.formState.errors.name?.message ?? server?.name?.[0]}>
          {(props) => <input {...props} autoComplete="off" {...form.register("name")} />}
        </FormField>
      </div>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
      <div className="basis-full">
        <FormAlert message={state && !state.ok && !server ? state.error : null} />
        {state?.ok ? <Notice>{doneMessage}</Notice> : null}
      </div>
    </form>
  );
}
