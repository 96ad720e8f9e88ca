"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";

type Decision = "revoke" | { reassignTo: string } | undefined;
type DeleteRole = (prev: ActionResult<{ grantsAffected: number }> | null, input: { grants: Decision }) => Promise<ActionResult<{ grantsAffected: number }>>;

interface Props {
  action: DeleteRole;
  roleName: string;
  inUse: boolean;
  /** Roles that inherit this one: it cannot go until they stop. */
  inheritedBy: string[];
  reassignOptions: Array<{ id: string; name: string }>;
  doneHref: string;
}

/** Deleting a role in use asks what happens to its grants: revoke them, or move them to another role. */
export function DeleteRoleForm({ action, roleName, inUse, inheritedBy, reassignOptions, doneHref }: Props) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const [choice, setChoice] = useState<"revoke" | "reassign">("reassign");
  const [target, setTarget] = useState(reassignOptions[0]?.id ?? "");

  useEffect(() => {
    if (state?.ok) router.push(doneHref);
  }, [state, router, doneHref]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const grants: Decision = !inUse ? undefined : choice === "revoke" ? "revoke" : { reassignTo: target };
    startTransition(() => dispatch({ grants }));
  };
  const radio = "size-4";
  return (
    <section aria-labelledby="delete-role" className="space-y-3 rounded-lg border border-red-200 bg-white p-4">
      <h2 id="delete-role" className="text-lg font-medium">
        Delete {roleName}
      </h2>
      {inheritedBy.length > 0 ? (
        <p className="text-sm text-slate-700">
          {inheritedBy.join(", ")} inherit{inheritedBy.length === 1 ? "s" : ""} this role. Remove it from {inheritedBy.length === 1 ? "that role" : "those roles"} before deleting it.
        </p>
      ) : (
        <form onSubmit={submit} className="space-y-3">
          {inUse ? (
            <fieldset className="space-y-2 text-sm">
              <legend className="font-medium text-slate-700">Members hold this role. What happens to their grants?</legend>
              <label className="flex items-center gap-2">
                <input type="radio" name="decision" className={radio} checked={choice === "reassign"} onChange={() => setChoice("reassign")} disabled={reassignOptions.length === 0} />
                Move them to another role
              </label>
              <label className="ml-6 block">
                <span className="sr-only">Role to move the grants to</span>
                <select value={target} onChange={(e) => setTarget(e.target.value)} disabled={choice !== "reassign"} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
                  {reassignOptions.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="decision" className={radio} checked={choice === "revoke"} onChange={() => setChoice("revoke")} />
                Revoke them
              </label>
            </fieldset>
          ) : (
            <p className="text-sm text-slate-600">No grants use this role.</p>
          )}
          <FormAlert message={state && !state.ok ? (state.fieldErrors ? Object.values(state.fieldErrors).flat().join(" ") : state.error) : null} />
          <Button type="submit" variant="secondary" className="border-red-300 text-red-800" disabled={pending} aria-busy={pending}>
            {pending ? "Deleting…" : `Delete role ${roleName}`}
          </Button>
        </form>
      )}
    </section>
  );
}
