import { checkHealth } from "@/lib/http/check-health";
import { respondJson } from "@/lib/http/respond-json";

// Must reflect the database at the moment of the probe, never a build-time snapshot.
export const dynamic = "force-dynamic";

/** Readiness probe, no auth: 200 when the database is reachable and fully migrated, else 503. */
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  return respondJson(health, health.status === "ok" ? 200 : 503);
}
