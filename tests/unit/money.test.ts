import { describe, expect, it } from "vitest";
import { checkRate, convertMinor, currencyDigits, formatAmount, parseAmount } from "@/lib/accounts/money";

describe("amounts and rates", () => {
  it("parses typed amounts into minor units by the currency's own decimals", () => {
    expect(parseAmount("12.50", "USD")).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount("12.5", "USD")).toEqual({ ok: true, minor: 1250 });
    expect(parseAmount("1200", "JPY")).toEqual({ ok: true, minor: 1200 });
    expect(parseAmount("1.234", "BHD")).toEqual({ ok: true, minor: 1234 });
    expect(currencyDigits("JPY")).toBe(0);
  });

  it("names what is wrong with an amount: a comma, a sign, too many decimals, too large", () => {
    expect(parseAmount("12,5", "USD")).toMatchObject({ ok: false, reason: expect.stringMatching(/^"12,5" is not an amount/) });
    expect(parseAmount("-3", "USD")).toMatchObject({ ok: false });
    expect(parseAmount("$3", "USD")).toMatchObject({ ok: false });
    expect(parseAmount("12.5", "JPY")).toMatchObject({ ok: false, reason: expect.stringContaining("more decimals than JPY allows (0)") });
    expect(parseAmount("99999999999999", "USD")).toMatchObject({ ok: false, reason: expect.stringContaining("too large") });
    expect(parseAmount("1\u0000", "USD")).toMatchObject({ ok: false });
  });

  it("formats minor units back to what parseAmount reads", () => {
    for (const [minor, currency] of [[1250, "USD"], [5, "EUR"], [0, "GBP"], [1200, "JPY"], [1234, "BHD"]] as const) {
      expect(parseAmount(formatAmount(minor, currency), currency)).toEqual({ ok: true, minor });
    }
  });

  it("checks rates: positive decimals with at most 10 decimals", () => {
    expect(checkRate("1.0825")).toBeNull();
    expect(checkRate("0")).toBe("must be greater than 0");
    expect(checkRate("1,08")).toMatch(/is not a rate/);
    expect(checkRate("0.12345678901")).toMatch(/is not a rate/);
  });

  it("converts exactly between minor units of different currencies, rounding half up", () => {
    expect(convertMinor(100_00, "EUR", "USD", "1.08")).toBe(108_00);
    expect(convertMinor(1000, "JPY", "USD", "0.0065")).toBe(650); // ¥1,000 → $6.50
    expect(convertMinor(650, "USD", "JPY", "153.846")).toBe(1000); // $6.50 → ¥1,000 (999.999 rounds up)
    expect(convertMinor(1, "EUR", "USD", "1.5")).toBe(2); // 1.5 cents rounds half up
    expect(convertMinor(12345, "USD", "USD", "1")).toBe(12345);
    expect(convertMinor(9_000_000_000_000, "EUR", "USD", "1.0000000001")).toBe(9_000_000_000_900);
  });
});
