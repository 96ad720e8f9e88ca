import { describe, expect, it } from "vitest";
import { formatRelativeTime } from "@/app/account/security/relative-time";

const now = new Date("2025-06-01T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe("formatRelativeTime", () => {
  it.each([
    [0, "just now"],
    [59, "just now"],
    [60, "1 minute ago"],
    [5 * 60 + 30, "5 minutes ago"],
    [3600, "1 hour ago"],
    [3 * 3600 + 59 * 60, "3 hours ago"],
    [24 * 3600, "yesterday"],
    [3 * 24 * 3600, "3 days ago"],
    [14 * 24 * 3600, "2 weeks ago"],
    [400 * 24 * 3600, "last year"],
  ])("%i seconds ago reads %s", (seconds, text) => {
    expect(formatRelativeTime(ago(seconds), now)).toBe(text);
  });

  it("reads a time a little in the future (clock skew) as now, and a later one as ahead", () => {
    expect(formatRelativeTime(ago(-10), now)).toBe("just now");
    expect(formatRelativeTime(ago(-2 * 3600), now)).toBe("in 2 hours");
  });
});
