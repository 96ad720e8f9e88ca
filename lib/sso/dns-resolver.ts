import { resolveTxt } from "node:dns/promises";

/** Looks up TXT records; injectable so tests (and air-gapped installs) need no network. */
export type TxtResolver = (name: string) => Promise<string[][]>;

let resolver: TxtResolver = resolveTxt;

export function setTxtResolver(next: TxtResolver | null): void {
  resolver = next ?? resolveTxt;
}

export function lookupTxt(name: string): Promise<string[][]> {
  return resolver(name);
}

/** The record an org publishes to prove a domain: `_countersign.<domain>  TXT  countersign-verification=<token>`. */
export function verificationRecordName(domain: string): string {
  return `_countersign.${domain}`;
}

export function verificationRecordValue(token: string): string {
  return `countersign-verification=${token}`;
}
