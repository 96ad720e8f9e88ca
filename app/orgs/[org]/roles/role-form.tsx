"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { roleFieldsSchema } from "@/lib/roles/schemas";
import { AdminClassBadge } from "@/components/access/admin-class-badge";
import { CheckboxGroup } from "@/components/access/checkbox-group";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import type { InheritOption, PermissionOption } from "./role-options";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type RoleInput = z.input<typeof roleFieldsSchema>;
type RoleOutput = z.output<typeof roleFieldsSchema>;
type SaveRole = (prev: ActionResult<{ id: string }> | null, input: RoleOutput) => Promise<ActionResult<{ id: string }>>;

interface Props {
  action: SaveRole;
  defaults: RoleOutput;
  permissionOptions: PermissionOption[];
  inheritOptions: InheritOption[];
  submitLabel: string;
  /** Where to go once saved; gets ?notice= appended. */
  doneHref: string;
  notice: "created" | "saved";
}

/** Create, edit or duplicate a role: the same zod schema validates here and in the command. */
export function RoleForm({ action, defaults, permissionOptions, inheritOptions, submitLabel, doneHref, notice }: Props) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const [, startTransition] = useTransition();
  const form = useForm<RoleInput, unknown, RoleOutput>({ resolver: plainResolver(roleFieldsSchema), defaultValues: defaults });
  const permissions = useWatch({ control: form.control, name: "permissions" }) ?? [];
  const inherits = useWatch({ control: form.control, name: "inherits" }) ?? [];
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;

  useEffect(() => {
    if (state?.ok) router.push(`${doneHref}?notice=${notice}`);
  }, [state, router, doneHref, notice]);

  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  const set = (name: "permissions" | "inherits") => (next: string[]) => form.setValue(name, next, { shouldDirty: true, shouldValidate: form.formState.isSubmitted });
  const groups = [...new Set(permissionOptions.map((p) => p.group))];

  return (
    <form onChange={fieldErrors.onChange} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormField label="Name" error={errors.name?.message ?? fieldErrors.error("name")}>
        {(props) => <input {...props} {...form.register("name")} autoComplete="off" />}
      </FormField>
      <FormField label="Description" error={errors.description?.message ?? fieldErrors.error("description")}>
        {(props) => <textarea {...props} {...form.register("description")} rows={2} />}
      </FormField>
      <section aria-labelledby="direct-permissions" className="space-y-2">
        <h2 id="direct-permissions" className="text-sm font-medium text-slate-700">
          Direct permissions
        </h2>
        {groups.map((group) => (
          <CheckboxGroup
            key={group}
            legend={group}
            selected={permissions}
            onChange={set("permissions")}
            options={permissionOptions
              .filter((p) => p.group === group)
              .map((p) => ({ value: p.key, label: <PermissionLabel option={p} />, hint: p.description, disabledReason: p.disabledReason }))}
          />
        ))}
        {errors.permissions?.message || fieldErrors.error("permissions") ? <p className="text-sm text-red-700">{errors.permissions?.message ?? fieldErrors.error("permissions")}</p> : null}
      </section>
      <CheckboxGroup
        legend="Inherits the permissions of"
        columns={3}
        selected={inherits}
        onChange={set("inherits")}
        error={errors.inherits?.message ?? fieldErrors.error("inherits")}
        options={inheritOptions.map((r) => ({ value: r.id, label: r.name, disabledReason: r.disabledReason }))}
      />
      <FormAlert message={state && !state.ok && !server ? state.error : null} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        <Link href={doneHref} className="text-sm text-slate-600 underline">
          Cancel
        </Link>
      </div>
    </form>
  );
}

function PermissionLabel({ option }: { option: PermissionOption }) {
  return (
    <>
      <code className="font-mono">{option.key}</code> {option.adminClass ? <AdminClassBadge /> : null}
    </>
  );
}
