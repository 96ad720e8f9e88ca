interface GrantRef {
  roleName: string;
  branchName: string;
}

export type ExplanationView =
  | { allowed: true; permission: string; grant: GrantRef; via: string[]; conditions: string[] }
  | { allowed: false; permission: string; reason: string; elsewhere: GrantRef[] };

interface Props {
  memberEmail: string;
  targetName: string;
  explanation: ExplanationView;
}

/** explain()'s answer in words: the grant and role chain that allow it, or why nothing does. */
export function ExplanationCard({ memberEmail, targetName, explanation: e }: Props) {
  const tone = e.allowed ? "border-emerald-300 bg-emerald-50" : "border-red-300 bg-red-50";
  return (
    <section aria-labelledby="explain-result" className={`space-y-3 rounded-lg border p-4 text-sm ${tone}`}>
      <h2 id="explain-result" className="text-lg font-semibold">
        {e.allowed ? "Allowed" : "Denied"}
      </h2>
      <p>
        <strong>{memberEmail}</strong> {e.allowed ? "may use" : "may not use"} <code className="font-mono">{e.permission}</code> on {targetName}.
      </p>
      {e.allowed ? (
        <dl className="grid gap-2 sm:grid-cols-[max-content_1fr] sm:gap-x-4">
          <dt className="font-medium text-slate-700">Grant</dt>
          <dd>
            {e.grant.roleName} at {e.grant.branchName}
          </dd>
          <dt className="font-medium text-slate-700">Role chain</dt>
          <dd>
            {e.via.join(" → ")}
            {e.via.length > 1 ? <span className="text-slate-600"> ({e.via[0]} inherits it from {e.via[e.via.length - 1]})</span> : <span className="text-slate-600"> (listed on the role itself)</span>}
          </dd>
          <dt className="font-medium text-slate-700">Conditions</dt>
          <dd>{e.conditions.length ? <ul className="list-disc pl-5">{e.conditions.map((c) => <li key={c}>{c}</li>)}</ul> : "None"}</dd>
        </dl>
      ) : (
        <>
          <p>{e.reason}</p>
          {e.elsewhere.length ? (
            <div>
              <p className="font-medium text-slate-700">Grants carrying it elsewhere</p>
              <ul className="list-disc pl-5">
                {e.elsewhere.map((g, i) => (
                  <li key={i}>
                    {g.roleName} at {g.branchName}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
