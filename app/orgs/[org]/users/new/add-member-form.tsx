"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useTransition } from "react";
import { useForm, useWatch } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { BranchSelectOptions } from "@/components/access/branch-select-options";
import { FormAlert } from "@/components/access/form-alert";
import { RoleSelect } from "@/components/access/role-select";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import type { GrantChoices } from "../grant-choices";
import { createdNoticeKey, type MemberCreated } from "../member-created";
import { createMemberSchema } from "@/lib/identity/schemas";
import { useFieldErrors } from "@/components/ui/use-field-errors";

// No password here: an administrator never chooses another person's password. The new member
// gets an invitation mail and chooses their own.
const addMemberFormSchema = createMemberSchema.omit({ password: true });

type MemberInput = z.input<typeof addMemberFormSchema>;
type MemberOutput = z.output<typeof addMemberFormSchema>;
type AddMember = (prev: ActionResult<MemberCreated> | null, input: MemberOutput) => Promise<ActionResult<MemberCreated>>;

const blankToUndefined = (v: string) => (v === "" ? undefined : v);

/** Adds a person with one role at one branch; the role list follows the same no-escalation rule as grants. */
export function AddMemberForm({ action, choices, membersHref }: { action: AddMember; choices: GrantChoices; membersHref: string }) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const [, startTransition] = useTransition();
  // Default to a branch, not the whole organization: an org-wide grant should be a deliberate choice.
  const first = choices.branches.find((b) => b.value !== "")?.value ?? "";
  const form = useForm<MemberInput, unknown, MemberOutput>({ resolver: plainResolver(addMemberFormSchema), defaultValues: { email: "", roleName: "", branchId: first || null } });
  const branchId = useWatch({ control: form.control, name: "branchId" }) ?? "";
  const roleName = useWatch({ control: form.control, name: "roleName" });
  const policy = choices.policies[choices.branches.find((b) => b.value === branchId)?.policy ?? -1] ?? {};
  // createMemberCommand takes the role by name; the delegation policy is keyed by id.
  const roleChoices = choices.roles.map((r) => ({ value: r.name, label: r.name, refusal: policy[r.id] ?? null }));
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;

  const roleRefused = Boolean(roleName && roleChoices.find((c) => c.value === roleName)?.refusal);
  useEffect(() => {
    if (roleRefused) form.setValue("roleName", "");
  }, [roleRefused, form]);
  useEffect(() => {
    if (!state?.ok) return;
    router.push(`${membersHref}/${state.data.membershipId}?notice=${createdNoticeKey(state.data)}`);
  }, [state, router, membersHref]);

  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));
  return (
    <form onChange={fieldErrors.onChange} onSubmit={onSubmit} noValidate className="max-w-xl space-y-4">
      <FormField label="Email" error={errors.email?.message ?? fieldErrors.error("email")}>
        {(props) => <input {...props} type="email" autoComplete="off" {...form.register("email")} />}
      </FormField>
      <FormField label="Name (optional)" error={errors.name?.message ?? fieldErrors.error("name")}>
        {(props) => <input {...props} autoComplete="off" {...form.register("name", { setValueAs: blankToUndefined })} />}
      </FormField>
      <FormField label="Branch" error={errors.branchId?.message ?? fieldErrors.error("branchId")}>
        {(props) => (
          <select {...props} {...form.register("branchId", { setValueAs: (v: string) => (v === "" ? null : v) })}>
            <BranchSelectOptions branches={choices.branches} />
          </select>
        )}
      </FormField>
      <FormField label="Role" error={errors.roleName?.message ?? fieldErrors.error("roleName")}>
        {(props) => <RoleSelect {...props} {...form.register("roleName")} choices={roleChoices} reasonsId="member-role-reasons" />}
      </FormField>
      <p className="text-sm text-slate-600">They will get an email invitation, and join once they accept it.</p>
      <FormAlert message={state && !state.ok && !server ? state.error : null} />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Adding…" : "Add member"}
      </Button>
    </form>
  );
}
