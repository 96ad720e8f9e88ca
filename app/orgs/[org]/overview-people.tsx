import Link from "next/link";
import { toQueryString } from "@/components/ui/query-string";
import { PEOPLE_FIGURES, type PeopleCounts, type PeopleFigure } from "@/lib/overview/people-figures";

const LABELS: Record<PeopleFigure, string> = {
  active: "Active members",
  invited: "Pending invitations",
  deactivated: "Deactivated",
  mfaOn: "Two-step verification on",
  mfaOff: "Two-step verification off",
  noRecentSignIn: "No sign-in in 90 days",
};

const card = "block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-600 focus-visible:border-brand-600";

/** People figures for users:read, each linking to the Users page with the filter it counted. */
export function OverviewPeople({ org, counts }: { org: string; counts: PeopleCounts }) {
  const joined = counts.mfaOn + counts.mfaOff;
  const adoption = joined === 0 ? null : Math.round((counts.mfaOn / joined) * 100);
  const figures = Object.keys(PEOPLE_FIGURES) as PeopleFigure[];
  return (
    <section aria-labelledby="people-heading" className="space-y-3">
      <h2 id="people-heading" className="text-lg font-medium">
        People
      </h2>
      {adoption !== null ? (
        <p className="text-sm text-slate-700" data-testid="mfa-adoption">
          {adoption}% of active members who have joined use two-step verification.
        </p>
      ) : null}
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {figures.map((f) => (
          <li key={f}>
            <Link href={`/orgs/${org}/users${toQueryString(PEOPLE_FIGURES[f])}`} className={card} data-testid={`people-${f}`}>
              <span className="block text-sm text-slate-600">{LABELS[f]}</span>
              <span className="text-2xl font-semibold">{counts[f].toLocaleString("en-US")}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
