import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { CanonicalOrder } from "@/lib/intake/canonical-order";
import type { Issue, ParseResult } from "@/lib/intake/parse-result";

// The public samples, copied byte for byte with their attribution (tests/fixtures/intake/SOURCES.md).
export function readFixture(path: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/intake/${path}`, import.meta.url)));
}

/** The single order of a one-document result; fails the test with the reason otherwise. */
export function onlyOrder(result: ParseResult): CanonicalOrder {
  if (!result.ok) throw new Error(`whole-message error: ${result.error.message}`);
  expect(result.documents).toHaveLength(1);
  const [document] = result.documents;
  if (!document?.order) throw new Error(`document error: ${document?.error?.message}`);
  return document.order;
}

/** The error of the first document, for malformed-document cases. */
export function documentError(result: ParseResult): Issue | undefined {
  if (!result.ok) throw new Error(`whole-message error: ${result.error.message}`);
  return result.documents[0]?.error;
}

export function messageError(result: ParseResult): Issue {
  if (result.ok) throw new Error("expected a whole-message error");
  return result.error;
}
