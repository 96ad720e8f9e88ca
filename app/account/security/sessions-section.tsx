import { formatDateTime } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";
import { describeUserAgent } from "@/lib/identity/describe-user-agent";
import type { OwnSession } from "@/lib/identity/list-own-sessions";
import { revokeOtherSessionsAction, revokeOwnSessionAction } from "./actions";
import { ActionButton } from "./action-button";
import { formatRelativeTime } from "./relative-time";
import { SectionStatus } from "./section-status";

const th = "px-3 py-2 font-medium";

/** Where the person is signed in. The current session is marked and cannot be ended from here (that is "Sign out"). */
export function SessionsSection({ sessions, currentSessionId, now }: { sessions: OwnSession[]; currentSessionId: string; now: Date }) {
  const others = sessions.filter((s) => s.id !== currentSessionId).length;
  // The current session first: it is the one the person recognises.
  const rows = [...sessions].sort((a, b) => Number(b.id === currentSessionId) - Number(a.id === currentSessionId));
  return (
    <section aria-labelledby="sessions-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="sessions-heading" className="text-lg font-medium">
        Sessions
      </h2>
      <p className="text-sm text-slate-600">Everywhere you are signed in. If you do not recognise a device or place, end that session and change your password.</p>
      <SectionStatus>
        <div className="relative overflow-x-auto rounded-lg border border-slate-200">
          <table className="min-w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className={th}>Device</th>
                <th scope="col" className={th}>IP address</th>
                <th scope="col" className={th}>Signed in</th>
                <th scope="col" className={th}>Last seen</th>
                <th scope="col" className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((s) => {
                const current = s.id === currentSessionId;
                const deviceId = `session-${s.id}-device`;
                return (
                  <tr key={s.id} data-testid={current ? "current-session" : "other-session"}>
                    <th scope="row" id={deviceId} className="px-3 py-2 text-left font-medium">
                      {describeUserAgent(s.userAgent)}
                      {current ? <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">This device</span> : null}
                      {s.pending ? <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">Sign-in not finished</span> : null}
                    </th>
                    <td className="px-3 py-2 font-mono text-xs">{s.ip ?? "Unknown"}</td>
                    <td className="px-3 py-2">
                      <time dateTime={s.createdAt.toISOString()}>{formatDateTime(s.createdAt.toISOString())}</time>
                    </td>
                    <td className="px-3 py-2">
                      <time dateTime={s.lastSeenAt.toISOString()} title={formatDateTime(s.lastSeenAt.toISOString())}>
                        {current ? "Now" : formatRelativeTime(s.lastSeenAt, now)}
                      </time>
                    </td>
                    <td className="px-3 py-2 text-right">
                      {current ? null : <ActionButton action={revokeOwnSessionAction.bind(null, s.id)} label="End" pendingLabel="Ending…" describedBy={deviceId} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div className="mt-3">
          {others === 0 ? (
            <EmptyState title="No other sessions">You are signed in only here.</EmptyState>
          ) : (
            <ActionButton
              action={revokeOtherSessionsAction}
              label="End all other sessions"
              pendingLabel="Ending sessions…"
              confirm={{ question: `Sign out ${others} other session${others === 1 ? "" : "s"}? You stay signed in here.`, yes: "Yes, sign them out" }}
            />
          )}
        </div>
      </SectionStatus>
    </section>
  );
}
