import type { Principal } from "@/lib/core/context";
import Link from "next/link";
import type { Metadata } from "next";
import { Suspense } from "react";
import { readAs } from "@/lib/core/read-as";
import { encodeControlChars } from "@/lib/audit/encode-control-chars";
import type { ChainReportView } from "@/lib/audit/schemas";
import { verifyChain } from "@/lib/audit/verify-chain";
import { AuditPermissionNeeded } from "@/components/audit/permission-needed";
import { VerifyPending, VerifyReport } from "@/components/audit/verify-report";
import { loadAuditReader } from "../load-audit-reader";

export const metadata: Metadata = { title: "Verify audit trail" };

/**
 * Recomputes the org's whole chain on request. The heading and a pending notice stream at once;
 * the report follows when the last event has been read.
 */
export default async function VerifyAuditPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await loadAuditReader(org, "audit.verify");
  if (!principal) return <AuditPermissionNeeded />;
  return (
    <div className="space-y-4">
      <div>
        <Link href={`/orgs/${org}/audit`} className="text-sm text-brand-700 underline">
          ← Audit trail
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">Chain verification</h1>
      </div>
      <Suspense fallback={<VerifyPending />}>
        <VerifyResult orgSlug={org} principal={principal} />
      </Suspense>
    </div>
  );
}

async function VerifyResult({ orgSlug, principal }: { orgSlug: string; principal: Principal }) {
  const report = await readAs(principal, (tx) => verifyChain(tx, principal.org!.id));
  const view: ChainReportView = { ...report, problem: report.problem === null ? null : encodeControlChars(report.problem) };
  return <VerifyReport orgSlug={orgSlug} report={view} />;
}
