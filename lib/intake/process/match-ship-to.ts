import type { Address } from "../canonical-order";

// Is the address a payload ships to one of the account's own? Senders spell addresses their own way, so
// the comparison ignores case, spaces and punctuation, and a missing postal code or city never counts
// against a match; a street line and postal code that both differ do.

export type BranchAddress = { id: string; branchId: string; lines: string[]; city: string; postalCode: string; country: string; isDefault: boolean };

// Street words senders abbreviate differently ("31875 SOLON RD" is "31875 Solon Road").
const ABBREVIATIONS: Record<string, string> = {
  road: "rd", street: "st", avenue: "ave", av: "ave", boulevard: "blvd", drive: "dr", lane: "ln", court: "ct", place: "pl",
  suite: "ste", north: "n", south: "s", east: "e", west: "w", strasse: "str", straße: "str", highway: "hwy", parkway: "pkwy",
};

function norm(text: string | undefined): string {
  const words = (text ?? "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words.map((w) => (Object.hasOwn(ABBREVIATIONS, w) ? ABBREVIATIONS[w]! : w)).join("").normalize("NFKD").replace(/[^\p{L}\p{N}]/gu, "");
}

function compatible(a: string | undefined, b: string | undefined): boolean {
  const x = norm(a);
  const y = norm(b);
  return x === "" || y === "" || x === y;
}

export function addressMatches(sent: Address, ours: BranchAddress): boolean {
  if (!compatible(sent.postalCode, ours.postalCode) || !compatible(sent.city, ours.city)) return false;
  if (sent.country && sent.country.length === 2 && !compatible(sent.country, ours.country)) return false;
  const street = new Set(ours.lines.map(norm).filter(Boolean));
  const sentLines = sent.lines.map(norm).filter(Boolean);
  // Without a street line, a city and a postal code that both agree are enough.
  if (sentLines.length === 0) return norm(sent.postalCode) !== "" && norm(sent.city) !== "";
  return sentLines.some((line) => street.has(line));
}

/** True when the payload says where to ship at all (an address with something in it). */
export function hasAddress(address: Address | undefined): address is Address {
  return !!address && (address.lines.some((l) => l.trim()) || !!address.postalCode || !!address.city);
}
