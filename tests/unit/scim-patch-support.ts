import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { applyScimPatch, normalizeScimPatch, scimResourceSchemaFor, type ScimDoc, type ScimResourceType } from "@/lib/scim/patch";
import { ScimError } from "@/lib/scim/scim-error";

/** A fixture file of tests/fixtures/scim (see its README for where each shape comes from). */
export function readScimFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/scim/${name}`, import.meta.url)), "utf8")) as Record<string, unknown>;
}

/** A PATCH body normalised and applied, as the route will do it. */
export function patch<T extends ScimDoc>(doc: T, body: unknown, type: ScimResourceType) {
  return applyScimPatch(doc, normalizeScimPatch(body, type), scimResourceSchemaFor(type));
}

export function patchOp(...operations: unknown[]) {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}

/** Runs `run` and returns the ScimError it threw (failing the test when it threw nothing or something else). */
export function scimErrorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return error as ScimError;
  }
  throw new Error("expected a ScimError, but nothing was thrown");
}
