import { BlockList, isIP } from "node:net";

/** The proxies whose X-Forwarded-For entries are believed (TRUSTED_PROXIES). */
export interface TrustedProxies {
  /** The entries as configured, for messages and logs. */
  readonly entries: readonly string[];
  isTrusted(ip: string): boolean;
}

export class TrustedProxiesError extends Error {
  constructor(entry: string) {
    super(`TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range (such as 10.0.0.0/8 or fd00::/8) or "loopback".`);
    this.name = "TrustedProxiesError";
  }
}

/**
 * Parses TRUSTED_PROXIES: a comma-separated list of IPv4/IPv6 addresses and CIDR ranges, plus
 * "loopback" (127.0.0.0/8 and ::1). Unset or empty trusts nobody. Throws TrustedProxiesError on
 * the first entry that is none of these, so a typo fails the start instead of trusting nothing.
 */
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries: string[] = [];
  for (const raw of (text ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    addEntry(list, entry);
    entries.push(entry);
  }
  return {
    entries,
    isTrusted(ip) {
      const normalized = entries.length > 0 ? normalizeIp(ip) : null;
      return normalized !== null && isTrustedBy(list, normalized);
    },
  };
}

function addEntry(list: BlockList, entry: string): void {
  if (entry.toLowerCase() === "loopback") {
    list.addSubnet("127.0.0.0", 8, "ipv4");
    list.addAddress("::1", "ipv6");
    return;
  }
  const slash = entry.indexOf("/");
  const address = canonicalIp(slash === -1 ? entry : entry.slice(0, slash));
  const family = address === null ? 0 : isIP(address);
  if (family === 0) throw new TrustedProxiesError(entry);
  const type = family === 4 ? "ipv4" : "ipv6";
  if (slash === -1) {
    list.addAddress(address!, type);
    return;
  }
  const prefixText = entry.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) throw new TrustedProxiesError(entry);
  list.addSubnet(address!, prefix, type);
}

function isTrustedBy(list: BlockList, ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/**
 * An address as we record it: IPv4-mapped IPv6 ("::ffff:10.0.0.1") as plain IPv4, zone ids
 * dropped, and the port some proxies append ("1.2.3.4:5678", "[2001:db8::1]:443") removed.
 * Null when what is left is not an IP address.
 */
export function normalizeIp(text: string): string | null {
  let ip = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  return canonicalIp(ip);
}

/** An IP address without port: IPv4-mapped as IPv4, zone id dropped, IPv6 lower-cased. */
function canonicalIp(text: string): string | null {
  let ip = text;
  const zone = ip.indexOf("%");
  if (zone !== -1) ip = ip.slice(0, zone);
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(ip)) ip = ip.slice(7);
  const family = isIP(ip);
  if (family === 0) return null;
  return family === 6 ? ip.toLowerCase() : ip;
}

/**
 * The client's address. The socket's peer by default; X-Forwarded-For is read only when that
 * peer is a trusted proxy, and then only as far as the chain of trusted proxies reaches: walking
 * right to left (each proxy appends the address it received the request from), the first hop
 * that is not a trusted proxy is the client. Entries left of it were written by the client and
 * may be anything, so they are never looked at. A malformed entry cannot be a proxy we trust
 * either; the walk stops there and the last address we can vouch for is returned.
 */
export function resolveClientIp(peer: string, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  const peerIp = normalizeIp(peer);
  if (peerIp === null) return peer;
  if (!forwardedFor || !trusted.isTrusted(peerIp)) return peerIp;
  let client = peerIp;
  const hops = forwardedFor.split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const ip = normalizeIp(hops[i]!);
    if (ip === null) return client;
    client = ip;
    if (!trusted.isTrusted(ip)) return ip;
  }
  // Every hop was a trusted proxy (a request from inside our own network): the leftmost is the origin.
  return client;
}
