import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderPermissionsDoc } from "@/scripts/lib/render-permissions-doc";

describe("generated docs", () => {
  it("docs/permissions.md matches the permission catalog (run `npm run docs` after changing it)", () => {
    expect(readFileSync("docs/permissions.md", "utf8")).toBe(renderPermissionsDoc());
  });
});
