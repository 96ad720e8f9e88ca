"use client";

import { useActionState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { ActionResult } from "@/lib/core/action-result";
import { moveBranchSchema } from "@/lib/branches/schemas";
import { BranchSelectOptions } from "@/components/access/branch-select-options";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

const parentSchema = moveBranchSchema.pick({ newParentId: true });
type MoveInput = { newParentId: string | null };
type MoveBranch = (prev: ActionResult<{ id: string }> | null, input: MoveInput) => Promise<ActionResult<{ id: string }>>;

interface Props {
  action: MoveBranch;
  branchName: string;
  /** Where it may go: never itself or its own descendants. "" is the top of the tree. */
  targets: Array<{ value: string; label: string; depth: number }>;
  currentParent: string;
}

/** Moves a branch with its whole subtree under another parent. */
export function MoveBranchForm({ action, branchName, targets, currentParent }: Props) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const [, startTransition] = useTransition();
  const form = useForm<MoveInput>({ resolver: plainResolver(parentSchema), defaultValues: { newParentId: currentParent || null } });
  const server = state && !state.ok ? state.fieldErrors : undefined;
  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  if (targets.length === 0) return <p className="text-sm text-slate-600">There is nowhere you may move {branchName} to.</p>;
  return (
    <form onChange={fieldErrors.onChange} onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-3">
      <div className="min-w-64 flex-1">
        <FormField label={`New parent of ${branchName}`} error={form.formState.errors.newParentId?.message ?? fieldErrors.error("newParentId")}>
          {(props) => (
            <select {...props} {...form.register("newParentId", { setValueAs: (v: string) => (v === "" ? null : v) })}>
              <BranchSelectOptions branches={targets} />
            </select>
          )}
        </FormField>
      </div>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Moving…" : "Move branch"}
      </Button>
      <div className="basis-full">
        <FormAlert message={state && !state.ok && !server ? state.error : null} />
        {state?.ok ? <Notice>Branch moved.</Notice> : null}
      </div>
    </form>
  );
}
