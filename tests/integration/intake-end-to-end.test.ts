import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgBoss } from "pg-boss";
import * as acceptRoute from "@/app/api/v1/intake/channels/[id]/messages/route";
import * as messageRoute from "@/app/api/v1/intake/messages/[id]/route";
import { getSql } from "@/db/client";
import { JOB_SCHEMA } from "@/db/job-schema";
import { adaptPostgresJs } from "@/db/pg-boss-adapter";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { addMappingCommand } from "@/lib/intake/channels/add-mapping";
import { createChannelCommand } from "@/lib/intake/channels/create-channel";
import { stopIntakeJobSender } from "@/lib/intake/inbox/intake-job-sender";
import { startIntakeWorker } from "@/lib/intake/process/intake-worker";
import { meta, unique } from "../support/factories";
import { makeSupplier, makeSupplierStaff } from "../support/supplier-factories";
import { buildAccount, makeFixtureProducts, readIntakeFixture, readOrder, type IntakeAccount } from "./intake-world";

// The reviewers' path, end to end: a channel made by the channel command (as the CLI does), a mapping,
// the payload POSTed to the channel's URL with its token (202), the launcher's pg-boss worker, and the
// read-back route a supplier member calls.

let boss: PgBoss;
let acme: IntakeAccount;
beforeAll(async () => {
  acme = await buildAccount("End to End Co");
  await makeFixtureProducts();
  boss = new PgBoss({ db: adaptPostgresJs(getSql()), schema: JOB_SCHEMA, migrate: false, createSchema: false, reindex: false, supervise: false, schedule: false });
  await boss.start();
  await startIntakeWorker(boss, { concurrency: 2 });
}, 120_000);
afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
  await stopIntakeJobSender();
});

describe("accept → pg-boss → worker → read-back", () => {
  it("an X12 850 POSTed to its channel becomes the order, and the read-back says so", async () => {
    const supplier = await makeSupplier();
    const created = await runCommand(createChannelCommand, supplier.operator, meta, { name: unique("EDI partner"), format: "x12-850" });
    await runCommand(addMappingCommand, supplier.operator, meta, { channelId: created.id, senderId: "4405197800", account: acme.org.slug });
    const response = await acceptRoute.POST(new Request(`http://localhost/api/v1/intake/channels/${created.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${created.token}`, "content-type": "application/edi-x12" }, body: new Uint8Array(readIntakeFixture("x12-850/node-x12_850.edi")) }), { params: Promise.resolve({ id: created.id }) });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const staff = await makeSupplierStaff("Viewer");
    const token = (await runCommand(createApiTokenCommand, supplier.operator, meta, { email: staff.email })).token;
    type ReadBack = { status: string; documents: Array<{ status: string; orderId?: string; documentNumber: string }> };
    const readBack = async (): Promise<ReadBack> => {
      const read = await messageRoute.GET(new Request(`http://localhost/api/v1/intake/messages/${id}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id }) });
      return (await read.json()) as ReadBack;
    };
    let body = await readBack();
    for (let i = 0; i < 100 && body.status !== "done"; i++) {
      await new Promise((r) => setTimeout(r, 200));
      body = await readBack();
    }
    expect(body).toMatchObject({ id, channelId: created.id, status: "done", documents: [{ index: 0, documentNumber: "08292233294", status: "created", flags: expect.any(Array) }] });
    expect(await readOrder(body.documents[0]!.orderId!)).toMatchObject({ orgId: acme.org.id, totalMinor: 1_304_594, status: "approved" });
  }, 60_000);
});
