import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { createRequire } from "node:module";
import { PgBoss } from "pg-boss";
import { approvalSteps } from "@/db/schema";
import { getDb, getSql } from "@/db/client";
import { JOB_QUEUES, JOB_SCHEMA } from "@/db/job-schema";
import { adaptPostgresJs } from "@/db/pg-boss-adapter";
import { createApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { escalationCron, startEscalationJob } from "@/lib/approvals/escalation-job";
import { runCommand } from "@/lib/core/command";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { asOperator } from "../support/as-operator";
import { meta } from "../support/factories";
import { buildOrderingWorld, roleIdOf, type OrderingWorld } from "./ordering-world";

let w: OrderingWorld;
let boss: PgBoss;
// pg-boss runs over our postgres.js pool: the `pg` package (which pg-boss imports) never opens a
// connection. Its ESM entry re-exports these same classes, so the spies see pg-boss's calls.
type Connectable = { prototype: { connect(): unknown } };
const requireCjs = createRequire(`${process.cwd()}/package.json`);
const pg = requireCjs("pg") as { Pool: Connectable; Client: Connectable };
const pgConnects = [vi.spyOn(pg.Pool.prototype, "connect"), vi.spyOn(pg.Client.prototype, "connect")];
const swept: Array<{ escalated: number }> = [];

beforeAll(async () => {
  w = await buildOrderingWorld();
  const approver = await roleIdOf(w.org.id, "Approver");
  await runCommand(createApprovalRuleCommand, w.org.operator, meta, { name: "Chicago, every order", branchId: w.branches.chicago.id, tiers: [[[approver]]], escalateAfterHours: 1 });
  // As the launcher does it: the app role, pg-boss's schema installed by the migration.
  boss = new PgBoss({ db: adaptPostgresJs(getSql()), schema: JOB_SCHEMA, migrate: false, createSchema: false, reindex: false, supervise: false });
  await boss.start();
  await startEscalationJob(boss, { minutes: 5, onSwept: (r) => swept.push(r) });
}, 120_000);
afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
});

describe("escalation as a pg-boss 12 job", () => {
  it("the migration installed pg-boss's own schema and the queue; the app role runs it without owner rights", async () => {
    const [row] = await getDb().execute<{ owner: string; queue: number }>(sql`select (select nspowner::regrole::text from pg_namespace where nspname = ${JOB_SCHEMA}) as owner, (select count(*)::int from pgboss.queue where name = ${JOB_QUEUES.escalations}) as queue`);
    expect(row!.queue).toBe(1);
    expect(row!.owner).not.toBe("countersign_app");
    // Its maintenance (what `supervise` runs on a timer in the launcher) works with those rights.
    const errors: Error[] = [];
    boss.on("error", (error) => errors.push(error));
    await boss.supervise();
    await boss.supervise(JOB_QUEUES.escalations);
    expect(errors).toEqual([]);
    const refused = await getDb().execute(sql`create table pgboss.not_ours (id int)`).catch((error: Error & { cause?: Error }) => error.cause ?? error);
    expect(String((refused as Error).message)).toMatch(/permission denied/);
  });

  it("schedules the sweep every ESCALATION_SWEEP_MINUTES on its queue", async () => {
    const schedules = await boss.getSchedules();
    expect(schedules).toEqual([expect.objectContaining({ name: JOB_QUEUES.escalations, cron: "*/5 * * * *", timezone: "UTC" })]);
    expect([escalationCron(1), escalationCron(5), escalationCron(120)]).toEqual(["*/1 * * * *", "*/5 * * * *", "0 */2 * * *"]);
    expect(() => escalationCron(0)).toThrow(/ESCALATION_SWEEP_MINUTES/);
  });

  it("a job on the queue runs the sweep: a tier that waited past its period is asked one level up", async () => {
    const order = await runCommand(draftOrderCommand, w.members.buyer.principal, meta, { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] });
    await runCommand(submitOrderCommand, w.members.buyer.principal, meta, { orderId: order.id });
    await asOperator((tx) => tx.update(approvalSteps).set({ waitingSince: new Date(Date.now() - 2 * 3_600_000) }).where(eq(approvalSteps.orderId, order.id)));
    expect(await boss.send(JOB_QUEUES.escalations, {})).toEqual(expect.any(String));
    const level = async () => (await asOperator((tx) => tx.select({ level: approvalSteps.levelBranchId, n: approvalSteps.escalations }).from(approvalSteps).where(eq(approvalSteps.orderId, order.id))))[0]!;
    // The step moves inside the sweep; the sweep reports once its mail is out too.
    for (let i = 0; i < 100 && !swept.some((r) => r.escalated >= 1); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await level()).toEqual({ level: w.branches.na.id, n: 1 });
    expect(swept.some((r) => r.escalated >= 1)).toBe(true);
    for (const spy of pgConnects) expect(spy).not.toHaveBeenCalled();
  });

  it("the postgres.js adapter: values bound (undefined as NULL), and a BEGIN … COMMIT script's rows from every statement", async () => {
    const db = adaptPostgresJs(getSql());
    expect((await db.executeSql("select $1::int as a, $2::text as b", [7, undefined])).rows).toEqual([{ a: 7, b: null }]);
    const script = await db.executeSql("BEGIN; SELECT 1 AS first; SELECT 2 AS second; COMMIT;");
    expect(script.rows).toEqual([{ first: 1 }, { second: 2 }]);
    expect((await db.executeSql("select 1 as one where false")).rows).toEqual([]);
  });
});
