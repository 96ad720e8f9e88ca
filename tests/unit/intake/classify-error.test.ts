import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/core/errors";
import { isTransient, reasonFromError, retryDelayMs, TransientIntakeError } from "@/lib/intake/process/classify-error";

describe("transient or permanent", () => {
  it("serialization failures, deadlocks, a restarting or unreachable server and lost connections are transient, however wrapped", () => {
    for (const code of ["40001", "40P01", "57P01", "08006", "CONNECTION_CLOSED", "ECONNREFUSED"]) {
      expect(isTransient(Object.assign(new Error("x"), { code })), code).toBe(true);
      expect(isTransient(Object.assign(new Error("Failed query"), { cause: Object.assign(new Error("x"), { code }) })), `wrapped ${code}`).toBe(true);
    }
    expect(isTransient(new TransientIntakeError("busy"))).toBe(true);
    // Losing the race to insert the same document: the retry then finds the winner's row.
    expect(isTransient(Object.assign(new Error("dup"), { code: "23505", constraint_name: "intake_documents_idempotency_uq" }))).toBe(true);
  });

  it("a bad value, a refusal, a conflict or any other unique violation is permanent, with its reason in plain words", () => {
    expect(isTransient(Object.assign(new Error("dup"), { code: "23505", constraint_name: "orders_org_number_uq" }))).toBe(false);
    expect(isTransient(new ValidationError({ currency: ["is not used"] }))).toBe(false);
    expect(reasonFromError(new ValidationError({ "lines.0.sku": ['no product in the catalog has the SKU "X"'] }))).toEqual({ code: "invalid-value", location: "lines.0.sku", message: 'lines.0.sku: no product in the catalog has the SKU "X"' });
    expect(reasonFromError(new ConflictError("changed"))).toMatchObject({ code: "update-conflict" });
    expect(reasonFromError(new ForbiddenError())).toMatchObject({ code: "not-permitted" });
    // An unexpected error's own text (a stack, an SQL fragment) is never the reason.
    expect(reasonFromError(new Error("relation secret_table does not exist"))).toEqual({ code: "unexpected", location: "", message: "the order could not be processed; the error is in the worker's log" });
  });

  it("backoff doubles from 1 s to a 5-minute ceiling, each delay a random point in its upper half (jitter)", () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3].map((a) => retryDelayMs(a, () => 0))).toEqual([500, 1000, 2000]);
    expect(retryDelayMs(40, () => 1)).toBe(300_000);
    for (let a = 1; a < 12; a++) {
      const d = retryDelayMs(a);
      expect(d).toBeGreaterThanOrEqual(retryDelayMs(a, () => 0));
      expect(d).toBeLessThanOrEqual(retryDelayMs(a, () => 1));
    }
  });
});
