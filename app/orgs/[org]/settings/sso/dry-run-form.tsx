"use client";

import { useActionState, useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import type { DryRunResult } from "@/lib/sso/dry-run-mappings";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";

type DryRun = (prev: unknown, input: { connectionId: string; claims: Record<string, unknown> }) => Promise<ActionResult<DryRunResult>>;

// Fixed texts per reason, as on the sign-in refusal page.
const REASONS: Record<string, string> = {
  "no-mapping-rule": "No rule matches and the connection has no default role: this person would be refused, with a page that says why.",
  "groups-overage": "The IdP says there are too many groups to send (Entra's group overage): the sign-in would be refused rather than read as “no groups”.",
  "entra-identity-incomplete": "Entra claims need tid and oid.",
  "no-subject": "The claims name nobody (no sub).",
};

/** "These claims would give these grants": groups one per line, plus any other claims as JSON. */
export function DryRunForm({ action, connections }: { action: DryRun; connections: Array<{ id: string; name: string }> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? "");
  const [groups, setGroups] = useState("");
  const [extra, setExtra] = useState("");
  const [extraError, setExtraError] = useState<string | null>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    let claims: Record<string, unknown> = {};
    if (extra.trim()) {
      try {
        const parsed: unknown = JSON.parse(extra);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
        claims = parsed as Record<string, unknown>;
      } catch {
        setExtraError('Other claims must be a JSON object, such as {"department": "Sales"}.');
        return;
      }
    }
    setExtraError(null);
    const list = groups.split("\n").map((g) => g.trim()).filter(Boolean);
    startTransition(() => dispatch({ connectionId, claims: { ...(list.length ? { groups: list } : {}), ...claims } }));
  };
  const result = state?.ok ? state.data : null;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Dry run">
      <FormField label="Connection">
        {(props) => (
          <select {...props} value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="Groups (one per line)">
        {(props) => <textarea {...props} rows={3} value={groups} onChange={(e) => setGroups(e.target.value)} />}
      </FormField>
      <FormField label="Other claims as JSON (optional)" error={extraError ?? undefined}>
        {(props) => <textarea {...props} rows={2} placeholder='{"department": "Sales"}' value={extra} onChange={(e) => setExtra(e.target.value)} />}
      </FormField>
      <FormAlert message={state && !state.ok ? [state.error, ...Object.values(state.fieldErrors ?? {}).flat()].join(" ") : null} />
      {result ? (
        <div role="status" className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800">
          {result.outcome === "refused" ? (
            <p>{REASONS[result.reason] ?? `Refused (${result.reason}).`}</p>
          ) : (
            <>
              <p>{result.source === "default" ? "No rule matches; the connection's default gives:" : "These claims would give:"}</p>
              <ul className="list-disc pl-5">
                {result.grants.map((g) => (
                  <li key={`${g.roleId}/${g.branchId ?? ""}`}>
                    {g.role} {g.branch ? `at ${g.branch}` : "for the whole organization"}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
      <Button type="submit" variant="secondary" disabled={pending || !connectionId} aria-busy={pending}>
        {pending ? "Checking…" : "Run the dry run"}
      </Button>
    </form>
  );
}
