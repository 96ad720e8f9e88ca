import { VerifyPending } from "@/components/audit/verify-report";

/** Shown from the first instant of navigation, before the page has even checked access. */
export default function Loading() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Chain verification</h1>
      <VerifyPending />
    </div>
  );
}
