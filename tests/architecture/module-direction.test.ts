import { describe, expect, it } from "vitest";
import { listSourceFiles } from "../support/source-files";

/**
 * lib/mfa builds on lib/identity (sessions, throttling, who must use MFA); lib/identity never
 * imports lib/mfa. Two modules that import each other cannot be understood, tested or changed
 * one at a time, and a cycle through module initialization breaks in odd ways.
 */
const files = listSourceFiles();
const importsOf = (dir: string, target: string) =>
  files
    .filter((f) => f.file.startsWith(`lib/${dir}/`))
    .filter((f) => new RegExp(`from\\s+["'](@/lib/${target}/|(\\.\\./)+${target}/)`).test(f.text))
    .map((f) => f.file);

describe("lib/identity and lib/mfa import each other in one direction only", () => {
  it("lib/mfa imports lib/identity (the detector sees it)", () => {
    expect(importsOf("mfa", "identity").length).toBeGreaterThan(0);
  });

  it("no file in lib/identity imports lib/mfa", () => {
    expect(importsOf("identity", "mfa")).toEqual([]);
  });
});
