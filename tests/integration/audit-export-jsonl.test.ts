import { describe, expect, it } from "vitest";
import { visibleAuditCondition } from "@/lib/audit/audit-conditions";
import { encodeControlChars } from "@/lib/audit/encode-control-chars";
import { exportAuditJsonl, takeAuditExportSnapshot } from "@/lib/audit/export-audit-events";
import { readAuditRows, type AuditEventRecord } from "@/lib/audit/read-audit-rows";
import { readAs } from "@/lib/core/read-as";
import { systemPrincipal } from "@/lib/core/system-principal";
import type { Principal } from "@/lib/core/context";
import { buildAuditedOrg } from "./audit-read-fixtures";
import { makeBranch, makeOrg } from "../support/factories";
import { operatorDb } from "../support/as-operator";

/**
 * The JSON Lines export is written by PostgreSQL (lib/audit/read-jsonl-batch.ts, row_to_json per
 * event). It must stay byte-for-byte what the JavaScript writer produced before, for every value:
 * that writer is kept here as the reference, fed by the plain row reader.
 */
const q = JSON.stringify;
function referenceLine(r: AuditEventRecord): string {
  return (
    encodeControlChars(
      `{"type":"event","id":${r.id},"orgId":${q(r.orgId)},"shard":${r.shard},"seq":${r.seq},"occurredAt":${q(r.occurredAt)},"actorType":${q(r.actorType)}` +
        `,"actorId":${q(r.actorId)},"actorLabel":${q(r.actorLabel)},"action":${q(r.action)},"targetType":${q(r.targetType)},"targetId":${q(r.targetId)}` +
        `,"targetLabel":${q(r.targetLabel)},"branchId":${q(r.branchId)},"outcome":${q(r.outcome)},"ip":${q(r.ip)},"userAgent":${q(r.userAgent)}` +
        `,"requestId":${q(r.requestId)},"metadata":${r.metadataText},"metadataText":${q(r.metadataText)},"hashVersion":${r.hashVersion}` +
        `,"prevHash":${q(r.prevHash)},"hash":${q(r.hash)}}`,
    ) + "\n"
  );
}

// Quotes, backslashes, every kind of control character, the characters JSON.stringify leaves raw
// but the export encodes (DEL, C1, U+2028/9, bidi overrides), and text beyond the BMP.
const AWKWARD = [
  'say "hi" \\ back\\slash /slash',
  "tab\tnew\nline\rcr\b\f\v\u0001\u001f end",
  "del\u007f c1\u0085\u009b seps\u2028\u2029 bidi\u202e\u2066\u2069",
  "é 漢字 \u{1F600} \u00a0nbsp",
  "{\"json\": [1, 2]} '; drop table x; --",
];

/** As the HTTP export reads it: the snapshot first, then every batch in a scoped transaction of its own. */
async function exportText(principal: ReturnType<typeof systemPrincipal>, batchSize: number): Promise<string> {
  const snapshot = await readAs(principal, (tx) => takeAuditExportSnapshot(tx, principal));
  let text = "";
  for await (const chunk of exportAuditJsonl(operatorDb(), principal, {}, { batchSize, snapshot, read: (fn) => readAs(principal, fn) })) text += chunk;
  return text;
}

describe("JSON Lines export written by PostgreSQL", () => {
  it("is byte-for-byte the JavaScript writer's output, for awkward values, across batch boundaries", async () => {
    const org = await makeOrg();
    for (const [i, label] of AWKWARD.entries()) {
      // The actor label, the target label and the metadata all carry the value.
      await makeBranch(systemPrincipal(label, { id: org.id, slug: org.slug, name: org.name }), `Branch ${i} ${label}`);
    }
    const principal = systemPrincipal("test", { id: org.id, slug: org.slug, name: org.name });
    const rows = await readAs(principal, (tx) => readAuditRows(tx, [visibleAuditCondition(principal)], { order: "asc", limit: 1000 }));
    expect(rows.length).toBe(AWKWARD.length + 1);
    const expected = rows.map(referenceLine).join("");

    for (const batchSize of [1, 2, 1000]) {
      const text = await exportText(principal, batchSize);
      const lines = text.split("\n");
      // checkpoint, the events, end, and the empty rest after the last LF
      expect(lines).toHaveLength(rows.length + 3);
      expect(lines.slice(1, -2).join("\n") + "\n").toBe(expected);
      expect(JSON.parse(lines.at(-2)!)).toEqual({ type: "end", events: rows.length, throughSeq: rows.length });
    }
  });
});

describe("JSON Lines export, two batches written at once", () => {
  async function exportAs(principal: Principal, batchSize: number, during?: () => Promise<unknown>): Promise<string[]> {
    const snapshot = await readAs(principal, (tx) => takeAuditExportSnapshot(tx, principal));
    let text = "";
    let first = true;
    for await (const chunk of exportAuditJsonl(operatorDb(), principal, {}, { batchSize, snapshot, read: (fn) => readAs(principal, fn) })) {
      text += chunk;
      // Something is appended while the export is under way, after its first batches were asked for.
      if (first && during) await during();
      first = false;
    }
    return text.split("\n").slice(0, -1);
  }

  it("a branch-scoped auditor gets the same lines, only their subtree's, whatever the batch size", async () => {
    const t = await buildAuditedOrg();
    const whole = await exportAs(t.naAuditor.principal, 1000);
    const events = whole.slice(1, -1).map((line) => JSON.parse(line) as { branchId: string | null; id: number });
    expect(events.length).toBeGreaterThan(2);
    for (const e of events) expect([t.na.id, t.chicago.id]).toContain(e.branchId);
    for (const batchSize of [1, 2, 3]) expect(await exportAs(t.naAuditor.principal, batchSize)).toEqual(whole);
  });

  it("events appended while batches are being written are left out, and none is sent twice", async () => {
    const t = await buildAuditedOrg();
    const principal = systemPrincipal("test", { id: t.org.id, slug: t.org.slug, name: t.org.name });
    const lines = await exportAs(principal, 1, () => makeBranch(principal, "Appended meanwhile"));
    const end = JSON.parse(lines.at(-1)!) as { events: number; throughSeq: number };
    const events = lines.slice(1, -1).map((line) => JSON.parse(line) as { id: number; targetLabel: string | null });
    expect(end.events).toBe(events.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.map((e) => e.targetLabel)).not.toContain("Appended meanwhile");
    // The appended event is there for the next export.
    const next = (await exportAs(principal, 2)).slice(1, -1).map((line) => JSON.parse(line) as { targetLabel: string | null });
    expect(next.map((e) => e.targetLabel)).toContain("Appended meanwhile");
  });
});
