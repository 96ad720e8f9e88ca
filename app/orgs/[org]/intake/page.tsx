import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/access/access";
import { findSupplier } from "@/lib/accounts/find-supplier";
import { ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { listDeadLetters, type DeadLetterPage } from "@/lib/intake/dead-letters/list-dead-letters";
import { deadLetterListQuerySchema } from "@/lib/intake/dead-letters/schemas";
import { listChannelHealth } from "@/lib/intake/process/list-channel-health";
import { fillThroughputHours, listChannelThroughput, throughputWindow } from "@/lib/intake/process/list-channel-throughput";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePrincipal } from "../../../load-viewer";
import { discardDeadLetterAction, replayDeadLetterAction } from "./actions";
import { ThroughputChart } from "./throughput-chart";

export const metadata: Metadata = { title: "Intake" };

const ago = (iso: string | null) => {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : s < 129_600 ? `${Math.round(s / 3600)} h ago` : `${Math.round(s / 86_400)} days ago`;
};
const money = (minor: number | null, currency: string | null) => (minor === null || !currency ? "—" : `${currency} ${(minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`);

/**
 * Order intake for the supplier's staff with intake:manage: each channel's last success, error rate,
 * volume and lag (flagged when it has gone quiet) with a chart of its last 24 hours, then the dead letters, worst first, each with its
 * reason and a replay (optionally with a corrected payload) or a discard with a reason.
 */
export default async function IntakePage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const raw = await searchParams;
  const text = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
  const allowed = can(principal.access, "intake:manage", "") && (await readAs(principal, async (tx) => (await findSupplier(tx))?.id === principal.org?.id));
  if (!allowed) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">Intake</h1>
        <EmptyState title="You cannot manage order intake here">Order intake is the supplier&apos;s, under the intake:manage permission (the Operations role carries it).</EmptyState>
      </div>
    );
  }
  const parsed = deadLetterListQuerySchema.safeParse({ sort: text(raw.sort), cursor: text(raw.cursor) });
  const query = parsed.success ? parsed.data : deadLetterListQuerySchema.parse({});
  const span = throughputWindow();
  const [channels, throughput, letters, forged] = await readAs(principal, async (tx) => {
    const channelRows = await listChannelHealth(tx, principal.org!.id);
    const perHour = await listChannelThroughput(tx, principal.org!.id, span);
    const page: DeadLetterPage | null = await listDeadLetters(tx, principal, query).catch((error: unknown) => {
      if (error instanceof ValidationError) return null;
      throw error;
    });
    return [channelRows, perHour, page ?? (await listDeadLetters(tx, principal, deadLetterListQuerySchema.parse({ sort: query.sort }))), page === null] as const;
  });
  const problem = forged ? "That page link is not one this server issued; showing the first page." : parsed.success ? null : "Some parameters were not understood and were ignored.";
  const notice = text(raw.notice);
  const base = `/orgs/${org}/intake`;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Intake</h1>
      {notice ? <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">{notice}</p> : null}
      {problem ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{problem}</p> : null}

      <section aria-labelledby="channels-heading" className="space-y-2">
        <h2 id="channels-heading" className="text-lg font-semibold">Channels</h2>
        {channels.length === 0 ? (
          <EmptyState title="No channels yet">Create one with <code>npm run cli -- intake channel create</code>.</EmptyState>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {channels.map((c) => (
              <li key={c.id} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 text-sm">
                <p className="font-medium text-slate-900">{c.name} <span className="text-slate-500">({c.format}{c.status === "disabled" ? ", disabled" : ""})</span></p>
                {c.silent ? <p className="mt-1 font-medium text-amber-800">Quiet for longer than expected: last payload {ago(c.lastReceivedAt)}.</p> : null}
                <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-1">
                  <dt className="text-slate-500">Last success</dt><dd>{ago(c.lastSuccessAt)}</dd>
                  <dt className="text-slate-500">Documents, 24 h</dt><dd>{c.documentsDay.toLocaleString("en-US")}</dd>
                  <dt className="text-slate-500">Error rate, 24 h</dt><dd>{c.errorRate === null ? "—" : `${(c.errorRate * 100).toFixed(1)} %`}</dd>
                  <dt className="text-slate-500">Waiting</dt><dd>{c.openMessages}{c.lagSeconds !== null ? ` (oldest ${c.lagSeconds} s)` : ""}</dd>
                  <dt className="text-slate-500">Dead letters</dt><dd>{c.openDeadLetters}</dd>
                </dl>
                <ThroughputChart channelName={c.name} buckets={fillThroughputHours(span, throughput.get(c.id) ?? [])} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="dlq-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="dlq-heading" className="text-lg font-semibold">Dead letters</h2>
          <nav aria-label="Sort dead letters" className="flex gap-2 text-sm">
            {(["impact", "age"] as const).map((s) => (
              <Link key={s} href={`${base}?sort=${s}`} aria-current={query.sort === s ? "page" : undefined} className={`rounded-md border px-3 py-1 ${query.sort === s ? "border-brand-600 bg-brand-50 font-medium text-brand-800" : "border-slate-300 bg-white text-slate-700"}`}>
                {s === "impact" ? "Highest impact" : "Oldest"}
              </Link>
            ))}
          </nav>
        </div>
        {letters.items.length === 0 ? (
          <EmptyState title="No open dead letters">Every accepted payload was processed.</EmptyState>
        ) : (
          <ol className="space-y-3">
            {letters.items.map((l) => (
              <li key={l.id} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
                <p className="font-medium text-slate-900">
                  {l.channel.name}: {l.documentNumber ? `order ${l.documentNumber}` : "whole message"}
                  {l.documentIndex !== null ? ` (document ${l.documentIndex + 1})` : ""}
                </p>
                <p className="mt-1 break-words font-mono text-xs text-red-800">{l.reason.message}</p>
                <p className="mt-1 text-slate-600">
                  Impact {l.impact.toLocaleString("en-US", { maximumFractionDigits: 0 })} · value {money(l.valueMinor, l.currency)} · {ago(l.createdAt)} ·{" "}
                  <a className="text-brand-700 underline" href={`${base}/messages/${l.messageId}/raw`}>raw payload</a>
                </p>
                <div className="mt-3 grid gap-3 sm:grid-cols-2">
                  <form action={replayDeadLetterAction.bind(null, org)} className="space-y-2">
                    <input type="hidden" name="deadLetterId" value={l.id} />
                    <label className="block text-slate-700" htmlFor={`payload-${l.id}`}>Corrected payload (optional)</label>
                    <textarea id={`payload-${l.id}`} name="payload" rows={3} className="w-full rounded-md border border-slate-300 p-2 font-mono text-xs" />
                    <button type="submit" className="rounded-md bg-brand-600 px-3 py-2 font-medium text-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2">Replay</button>
                  </form>
                  <form action={discardDeadLetterAction.bind(null, org)} className="space-y-2">
                    <input type="hidden" name="deadLetterId" value={l.id} />
                    <label className="block text-slate-700" htmlFor={`reason-${l.id}`}>Reason to discard</label>
                    <input id={`reason-${l.id}`} name="reason" required minLength={3} maxLength={500} className="w-full rounded-md border border-slate-300 p-2" />
                    <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium text-slate-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2">Discard</button>
                  </form>
                </div>
              </li>
            ))}
          </ol>
        )}
        {letters.nextCursor ? (
          <Link href={`${base}?${new URLSearchParams({ sort: query.sort, cursor: letters.nextCursor }).toString()}`} className="text-sm text-brand-700 underline">Next page →</Link>
        ) : null}
      </section>
    </div>
  );
}
