import { describe, expect, it } from "vitest";
import type { EffectiveGrant } from "@/lib/access/access";
import { describeAccess } from "@/lib/overview/describe-access";
import { overviewWindow, weekWithin } from "@/lib/overview/overview-window";
import { buildWeeklySeries, weeksOf } from "@/lib/overview/weekly-series";

const grant = (roleName: string, branchId: string | null, branchName: string | null): EffectiveGrant => ({
  grantId: `${roleName}-${branchId}`,
  roleId: roleName,
  roleName,
  branchId,
  branchName,
  branchPath: branchId ? `/${branchId}/` : "",
  permissions: new Set(),
  expiresAt: null,
  approvalLimit: null,
});

describe("Your access", () => {
  it("names the branch of each grant, and the whole organization for a root grant", () => {
    const lines = describeAccess({ kind: "grants", grants: [grant("Buyer", "c", "Chicago"), grant("Auditor", null, null)], roles: { roles: new Map() } as never });
    expect(lines).toEqual(["Buyer at Chicago", "Auditor across the whole organization"]);
    expect(describeAccess({ kind: "none" })).toEqual([]);
  });
});

describe("the overview's window and weeks", () => {
  it("covers 13 whole UTC weeks from a Monday, this one so far included", () => {
    const window = overviewWindow(new Date("2026-12-02T23:59:00Z")); // a Wednesday
    expect(window).toEqual({ from: "2026-09-07", to: "2026-12-02", weeks: 13 });
    const weeks = weeksOf(window);
    expect(weeks[0]).toBe("2026-09-07");
    expect(weeks.at(-1)).toBe("2026-11-30");
    expect(weeks).toHaveLength(13);
    expect(weekWithin(weeks[0]!, window)).toEqual({ from: "2026-09-07", to: "2026-09-13" });
    expect(weekWithin("2026-11-30", window)).toEqual({ from: "2026-11-30", to: "2026-12-02" });
    // On a Monday the window starts twelve Mondays back; on a Sunday the week is whole.
    expect(overviewWindow(new Date("2026-11-30T00:00:00Z")).from).toBe("2026-09-07");
    expect(overviewWindow(new Date("2026-12-06T23:59:59Z"))).toEqual({ from: "2026-09-07", to: "2026-12-06", weeks: 13 });
  });

  it("draws the five busiest branches and sums the rest as Other; value only in the leading currency", () => {
    const window = overviewWindow(new Date("2026-12-02T12:00:00Z"));
    const rows = ["a", "b", "c", "d", "e", "f", "g"].map((id, i) => ({ week: "2026-11-30", branchId: id, currency: "USD", count: 10 - i, totalMinor: 100 }));
    rows.push({ week: "2026-11-23", branchId: "a", currency: "EUR", count: 2, totalMinor: 50 });
    const s = buildWeeklySeries(rows, { a: "Alpha" }, window);
    expect(s.series.map((k) => k.name)).toEqual(["Alpha", "Unknown branch", "Unknown branch", "Unknown branch", "Unknown branch", "Other branches"]);
    expect(s.currency).toBe("USD");
    const last = s.points.at(-1)!;
    expect(last.count).toEqual({ b0: 10, b1: 9, b2: 8, b3: 7, b4: 6, other: 5 + 4 });
    expect(last.value.other).toBe(200);
    const before = s.points.find((p) => p.week === "2026-11-23")!;
    expect(before.count.b0).toBe(2);
    expect(before.value.b0).toBe(0);
    expect(s.otherCurrencies).toEqual([{ week: "2026-11-23", totals: [{ currency: "EUR", count: 2, totalMinor: 50 }] }]);
  });
});
