/**
 * `npm run docs`: writes the generated reference docs. Tests in tests/architecture fail when a
 * checked-in copy differs from what this would write.
 */
import { writeFileSync } from "node:fs";
import { renderAuditEventsDoc } from "./lib/render-audit-events-doc";
import { renderPermissionsDoc } from "./lib/render-permissions-doc";

const docs: Array<[string, () => string | Promise<string>]> = [
  ["docs/permissions.md", renderPermissionsDoc],
  ["docs/audit-events.md", renderAuditEventsDoc],
];

for (const [file, render] of docs) {
  writeFileSync(file, await render());
  console.log(`wrote ${file}`);
}
