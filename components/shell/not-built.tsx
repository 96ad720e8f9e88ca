/** Said plainly, so nobody mistakes a missing feature for missing data. */
export function NotBuilt({ title, comesWith }: { title: string; comesWith: string }) {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900" role="status">
        <p className="font-medium">This page is not built yet.</p>
        <p className="mt-1">It arrives with {comesWith}. Until then, use the command line (`npm run cli -- --help`).</p>
      </div>
    </div>
  );
}
