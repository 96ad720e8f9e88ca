"use client";

import { useActionState, useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useForm, useWatch } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { ActionResult } from "@/lib/core/action-result";
import { renameBranchSchema } from "@/lib/branches/schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";

// The name rule is the same for creating and renaming; take it from the shared schema.
const nameSchema = renameBranchSchema.pick({ name: true });

// The schema's reasons are written for the API ("name: is required"); a person gets the field in
// plain words and what to do, whether the browser or the server found it.
const plainReasons: Record<string, string> = {
  "is required": "Enter a name for the branch.",
  "must be at most 120 characters": "A branch name can be at most 120 characters: shorten it.",
};
const plain = (reason: string | undefined) => (reason === undefined ? undefined : (plainReasons[reason] ?? `The branch name ${reason}.`));
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
  /** Creating: the tree's URL with the new branch's parent open; the page goes there and to the branch. */
  revealHref?: string;
}

/** One name field: used to add a branch (top-level or child) and to rename one. */
export function BranchNameForm({ action, label, submitLabel, defaultName = "", doneMessage, resetOnSuccess = false, revealHref }: Props) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const form = useForm<NameInput>({ resolver: plainResolver(nameSchema), defaultValues: { name: defaultName } });
  // The server's reason is about the name it was sent: it clears as soon as the field changes.
  const [sent, setSent] = useState<string | null>(null);
  const current = useWatch({ control: form.control, name: "name" });
  const server = state && !state.ok && sent === current ? state.fieldErrors : undefined;

  useEffect(() => {
    if (state?.ok && resetOnSuccess) form.reset({ name: "" });
    // A new branch is shown where it landed: its parent opened, scrolled to and highlighted (:target).
    if (state?.ok && revealHref) router.replace(`${revealHref}#branch-${state.data.id}`);
  }, [state, resetOnSuccess, form, revealHref, router]);

  const onSubmit = form.handleSubmit((values) => {
    setSent(values.name);
    startTransition(() => dispatch(values));
  });
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-3">
      <div className="min-w-64 flex-1">
        <FormField label={label} error={plain(form.formState.errors.name?.message ?? server?.name?.[0])}>
          {(props) => <input {...props} autoComplete="off" {...form.register("name")} />}
        </FormField>
      </div>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
      <div className="basis-full">
        <FormAlert message={state && !state.ok && !state.fieldErrors ? state.error : null} />
        {state?.ok ? <Notice>{doneMessage}</Notice> : null}
      </div>
    </form>
  );
}
