import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgBoss } from "pg-boss";
import { getSql } from "@/db/client";
import { JOB_QUEUES, JOB_SCHEMA } from "@/db/job-schema";
import { adaptPostgresJs } from "@/db/pg-boss-adapter";
import { intakeJobOptions } from "@/lib/intake/process/intake-job";
import { requeueStalledMessages, startIntakeWorker } from "@/lib/intake/process/intake-worker";
import { buildAccount, makeChannel, makeFixtureProducts, mapSender, readMessage, storeMessage, type IntakeAccount } from "./intake-world";

// The intake.process worker on pg-boss 12, as the launcher runs it: one account's flood on its channel
// does not hold back another channel's orders, because each channel (the job's group) gets at most a
// share of the workers.

let boss: PgBoss;
let acme: IntakeAccount;
let other: IntakeAccount;
const finished = new Map<string, number>();

beforeAll(async () => {
  acme = await buildAccount("Flood Co");
  other = await buildAccount("Quiet Co");
  await makeFixtureProducts();
  boss = new PgBoss({ db: adaptPostgresJs(getSql()), schema: JOB_SCHEMA, migrate: false, createSchema: false, reindex: false, supervise: false, schedule: false });
  await boss.start();
  await startIntakeWorker(boss, { concurrency: 4, perChannel: 2 });
}, 120_000);
afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
});

const order = (number: string, sender: string) => JSON.stringify({ documentNumber: number, kind: "original", senders: [{ scheme: "buyer", value: sender }], currency: "USD", lines: [{ lineNumber: "1", vendorPartNumber: "AB3542", quantity: "1" }] });

async function waitDone(ids: string[], timeoutMs: number) {
  const started = Date.now();
  for (;;) {
    const states = await Promise.all(ids.map(async (id) => [id, (await readMessage(id)).status] as const));
    for (const [id, status] of states) if (status === "done" && !finished.has(id)) finished.set(id, Date.now());
    if (states.every(([, s]) => s === "done" || s === "dead_letter")) return;
    if (Date.now() - started > timeoutMs) throw new Error(`not done after ${timeoutMs} ms: ${states.filter(([, s]) => s !== "done").length} left`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("intake.process on pg-boss 12", () => {
  it("a flood on one channel does not delay another channel's orders beyond a bound", async () => {
    const flood = await makeChannel({ format: "json" });
    const quiet = await makeChannel({ format: "json" });
    await mapSender(flood, "flood", acme.org.id, acme.hq.id);
    await mapSender(quiet, "quiet", other.org.id, other.hq.id);
    const floodIds: string[] = [];
    for (let i = 0; i < 60; i++) floodIds.push(await storeMessage(flood, order(`FL-${i}`, "flood")));
    const quietIds: string[] = [];
    for (let i = 0; i < 3; i++) quietIds.push(await storeMessage(quiet, order(`Q-${i}`, "quiet")));
    const sentAt = Date.now();
    // The flood is queued first, then the quiet channel's three.
    for (const id of floodIds) await boss.send(JOB_QUEUES.intakeProcess, { messageId: id }, intakeJobOptions(flood.id));
    for (const id of quietIds) await boss.send(JOB_QUEUES.intakeProcess, { messageId: id }, intakeJobOptions(quiet.id));
    await waitDone([...floodIds, ...quietIds], 120_000);
    const quietLast = Math.max(...quietIds.map((id) => finished.get(id)!)) - sentAt;
    const floodLast = Math.max(...floodIds.map((id) => finished.get(id)!)) - sentAt;
    // Bound: the quiet channel's orders are through well before the flood drains (they take the
    // workers the flood's group may not), not after all sixty.
    expect(quietLast).toBeLessThan(floodLast * 0.6);
    for (const id of quietIds) expect((await readMessage(id)).documents[0]!.status).toBe("created");
  }, 180_000);

  it("a message whose job was lost is sent again by the stalled-message sweep and processed once", async () => {
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "flood", acme.org.id, acme.hq.id);
    const id = await storeMessage(channel, order("LOST-1", "flood"));
    // No job was ever sent: only the sweep knows about it.
    expect(await requeueStalledMessages(boss, { staleSeconds: 0 })).toBeGreaterThanOrEqual(1);
    await waitDone([id], 30_000);
    expect((await readMessage(id)).documents).toMatchObject([{ status: "created" }]);
  }, 60_000);
});
