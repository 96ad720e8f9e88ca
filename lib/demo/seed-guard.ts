import { isIPv4 } from "node:net";
import { DEMO_PASSWORD } from "./seed-demo";

/**
 * True for a host name or address that only this machine can reach: localhost, ::1 and
 * 127.0.0.0/8. Not 0.0.0.0 or ::, which bind every interface.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return isIPv4(v4) && v4.startsWith("127.");
}

/**
 * Why the demo data may not be loaded for a server listening on `host`, or null when it may:
 * its admins sign in with a password printed in the README and the log, which must never be
 * reachable from another machine. One line, naming HOST and what to do.
 */
export function demoSeedRefusal(host: string, seedDemo: string | undefined): string | null {
  if (isLoopbackHost(host)) return null;
  const instead = seedDemo === "1" ? "unset SEED_DEMO" : "set SEED_DEMO=0 to start without demo data";
  return `HOST=${host} is not a loopback address, so the demo data is not loaded: its admins sign in with the published password ${DEMO_PASSWORD}. Bind to 127.0.0.1 (the default) for the demo, or ${instead}.`;
}
