import { describe, expect, it } from "vitest";
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from "@/lib/mfa/recovery-codes";

const FORMAT = /^[0-9abcdefghjkmnpqrstvwxyz]{5}(-[0-9abcdefghjkmnpqrstvwxyz]{5}){3}$/;

describe("Recovery codes are single-use and stored hashed: generation", () => {
  it("generates 10 distinct codes by default, formatted xxxxx-xxxxx-xxxxx-xxxxx in lower case", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(FORMAT);
    expect(generateRecoveryCodes(3)).toHaveLength(3);
  });

  it("carries at least 100 bits: 20 characters from a 32-symbol alphabet, all symbols in use", () => {
    const codes = generateRecoveryCodes(200);
    for (const code of codes) expect(normalizeRecoveryCode(code)).toHaveLength(20);
    expect(20 * Math.log2(32)).toBeGreaterThanOrEqual(100);
    // 4,000 characters drawn uniformly from 32 symbols: every symbol shows up.
    const seen = new Set(codes.join("").replace(/-/g, ""));
    expect(seen.size).toBe(32);
    expect(new Set(codes).size).toBe(200);
  });
});

describe("Recovery codes are single-use and stored hashed: normalization and hashing", () => {
  it("hashes the variants a person might type to the same value", () => {
    const code = "abcde-fghj0-k1mnp-qrstv";
    const expected = hashRecoveryCode(code);
    for (const typed of [
      "ABCDE-FGHJ0-K1MNP-QRSTV",
      "ABCDE-fghj0-k1mnp-qrstv",
      "abcdefghj0k1mnpqrstv",
      " abcde fghj0 k1mnp qrstv ",
      "abcde-fghjo-kImnp-qrstv", // o for 0, I for 1
      "abcde-fghjO-klmnp-qrstv", // O for 0, l for 1
    ]) {
      expect(hashRecoveryCode(typed)).toBe(expected);
    }
    expect(normalizeRecoveryCode("ABCDE-fghjO kImnp-qrstv")).toBe("abcdefghj0k1mnpqrstv");
  });

  it("stores a SHA-256 hex digest, not the code, and different codes hash differently", () => {
    const [a, b] = generateRecoveryCodes(2) as [string, string];
    const hash = hashRecoveryCode(a);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(normalizeRecoveryCode(a));
    expect(hash).not.toBe(a);
    expect(hashRecoveryCode(b)).not.toBe(hash);
  });
});
