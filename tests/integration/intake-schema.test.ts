import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTenantScope } from "@/db/tenant-scope";
import { makeOrg } from "../support/factories";
import { makeSupplier } from "../support/supplier-factories";
import { asOperator } from "../support/as-operator";

// As the app runs in production: no operator bypass on the pool, so the policies are what is tested.
process.env.DATABASE_RLS_BYPASS = "0";

const TABLES = ["intake_channels", "intake_channel_mappings", "intake_xrefs", "intake_messages", "intake_documents", "intake_dead_letters"];

async function seedIntake(orgId: string) {
  return asOperator(async (tx) => {
    const [account] = await tx.execute<{ id: string }>(sql`select id from organizations where id <> ${orgId} limit 1`);
    const [channel] = await tx.execute<{ id: string }>(
      sql`insert into intake_channels (org_id, name, format, token_hash) values (${orgId}, 'EDI', 'x12-850', ${randomBytes(16).toString("hex")}) returning id`,
    );
    const raw = Buffer.from("ISA*00*~");
    const [message] = await tx.execute<{ id: string }>(
      sql`insert into intake_messages (org_id, channel_id, raw, raw_sha256) values (${orgId}, ${channel!.id}, ${raw}, ${createHash("sha256").update(raw).digest("hex")}) returning id`,
    );
    await tx.execute(sql`insert into intake_documents (org_id, channel_id, message_id, index, status) values (${orgId}, ${channel!.id}, ${message!.id}, 0, 'held')`);
    await tx.execute(sql`insert into intake_dead_letters (org_id, channel_id, message_id, reason) values (${orgId}, ${channel!.id}, ${message!.id}, '{"code":"x","message":"y"}')`);
    if (account) {
      await tx.execute(sql`insert into accounts (org_id, supplier_id) values (${account.id}, ${orgId}) on conflict do nothing`);
      await tx.execute(sql`insert into intake_channel_mappings (org_id, channel_id, sender_id, account_id) values (${orgId}, ${channel!.id}, 'ZZ:SENDER', ${account.id})`);
      await tx.execute(sql`insert into intake_xrefs (org_id, channel_id, account_id, buyer_part, sku) values (${orgId}, ${channel!.id}, ${account.id}, 'BP-1', 'SKU-1')`);
    }
    return { channelId: channel!.id, messageId: message!.id };
  });
}

const count = (table: string) => sql.raw(`select count(*)::int as n from ${table}`);

describe("intake schema: row-level security and the durable inbox", () => {
  it("the supplier sees its own intake rows; another org, or no org, sees none of them", async () => {
    const supplier = await makeSupplier();
    const other = await makeOrg("Outsider");
    await seedIntake(supplier.id);
    for (const table of TABLES) {
      const [own] = await withTenantScope({ orgId: supplier.id, userId: null, bypass: false }, (tx) => tx.execute<{ n: number }>(count(table)));
      const [theirs] = await withTenantScope({ orgId: other.id, userId: null, bypass: false }, (tx) => tx.execute<{ n: number }>(count(table)));
      const [nobody] = await withTenantScope({ orgId: null, userId: null, bypass: false }, (tx) => tx.execute<{ n: number }>(count(table)));
      expect(own!.n, `${table}: own rows`).toBeGreaterThan(0);
      expect(theirs!.n, `${table}: another org's view`).toBe(0);
      expect(nobody!.n, `${table}: no tenant`).toBe(0);
    }
  });

  it("another org cannot insert a message onto the supplier's channel", async () => {
    const supplier = await makeSupplier();
    const other = await makeOrg("Smuggler");
    const { channelId } = await seedIntake(supplier.id);
    const attempt = withTenantScope({ orgId: other.id, userId: null, bypass: false }, (tx) =>
      tx.execute(sql`insert into intake_messages (org_id, channel_id, raw, raw_sha256) values (${supplier.id}, ${channelId}, '\\x00'::bytea, 'h')`),
    );
    const error = (await attempt.catch((e: unknown) => e)) as { cause?: { code?: string } };
    expect(error.cause?.code).toBe("42501");
  });

  it("the app role cannot change or delete a received payload, but may move its processing state", async () => {
    const supplier = await makeSupplier();
    const { messageId } = await seedIntake(supplier.id);
    const scope = { orgId: supplier.id, userId: null, bypass: false };
    for (const change of [
      sql`update intake_messages set raw = '\\x41'::bytea where id = ${messageId}`,
      sql`update intake_messages set raw_sha256 = 'forged' where id = ${messageId}`,
      sql`update intake_messages set headers = '{"x":"y"}' where id = ${messageId}`,
      sql`update intake_messages set received_at = now() - interval '1 day' where id = ${messageId}`,
      sql`delete from intake_messages where id = ${messageId}`,
    ]) {
      const error = (await withTenantScope(scope, (tx) => tx.execute(change)).catch((e: unknown) => e)) as { cause?: { code?: string; message?: string } };
      expect(error.cause?.code).toBe("42501");
      expect(error.cause?.message).toMatch(/intake inbox is durable/);
    }
    await withTenantScope(scope, (tx) => tx.execute(sql`update intake_messages set status = 'processing', attempts = attempts + 1 where id = ${messageId}`));
    const [row] = await asOperator((tx) => tx.execute<{ status: string; raw: Buffer }>(sql`select status, raw from intake_messages where id = ${messageId}`));
    expect(row!.status).toBe("processing");
    expect(Buffer.from(row!.raw).toString()).toBe("ISA*00*~");
  });

  it("the same bytes on the same channel are one message", async () => {
    const supplier = await makeSupplier();
    const { channelId } = await seedIntake(supplier.id);
    const hash = createHash("sha256").update("ISA*00*~").digest("hex");
    const error = (await asOperator((tx) =>
      tx.execute(sql`insert into intake_messages (org_id, channel_id, raw, raw_sha256) values (${supplier.id}, ${channelId}, ${Buffer.from("ISA*00*~")}, ${hash})`),
    ).catch((e: unknown) => e)) as { cause?: { code?: string } };
    expect(error.cause?.code).toBe("23505");
  });
});
