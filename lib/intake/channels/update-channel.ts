import { eq } from "drizzle-orm";
import { intakeChannels } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { forgetAcceptingChannel } from "@/lib/intake/inbox/find-accepting-channel";
import { enterIntakeScope } from "./enter-intake-scope";
import { assertBranchOfAccount, loadChannel, resolveAccount } from "./resolve-intake-refs";
import { updateChannelSchema } from "./schemas";

/** Changes a channel's name, defaults and limits (rules have their own command: intake.rules.changed). */
export const updateChannelCommand = defineCommand({
  name: "intake.channel.updated",
  description: "An intake channel's name, default account or branch, CSV mapping, body limit, backpressure depth or expected interval changed (before and after).",
  access: { permission: "intake:manage" },
  input: updateChannelSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const { tx } = ctx;
    const row = await loadChannel(tx, supplier.id, input.channelId);
    const next: Partial<typeof intakeChannels.$inferInsert> = {};
    if (input.name !== undefined) next.name = input.name;
    if (input.defaultAccount !== undefined) {
      next.defaultAccountId = input.defaultAccount === null ? null : (await resolveAccount(tx, supplier.id, input.defaultAccount, "defaultAccount")).id;
      if (input.defaultBranchId === undefined) next.defaultBranchId = null;
    }
    if (input.defaultBranchId !== undefined) {
      const accountId = next.defaultAccountId !== undefined ? next.defaultAccountId : row.defaultAccountId;
      if (input.defaultBranchId !== null) {
        if (!accountId) throw new ValidationError({ defaultBranchId: ["a default branch needs a default account"] });
        await assertBranchOfAccount(tx, accountId, input.defaultBranchId, "defaultBranchId");
      }
      next.defaultBranchId = input.defaultBranchId;
    }
    if (input.csvMapping !== undefined) {
      if (row.format !== "csv" && input.csvMapping !== null) throw new ValidationError({ csvMapping: ["only a csv channel has a column mapping"] });
      next.csvMapping = input.csvMapping;
    }
    if (input.maxBodyBytes !== undefined) next.maxBodyBytes = input.maxBodyBytes;
    if (input.maxDepth !== undefined) next.maxDepth = input.maxDepth;
    if (input.expectedIntervalSeconds !== undefined) next.expectedIntervalSeconds = input.expectedIntervalSeconds;
    const before = Object.fromEntries(Object.keys(next).map((key) => [key, row[key as keyof typeof row]]));
    if (Object.keys(next).length > 0) await tx.update(intakeChannels).set({ ...next, updatedAt: new Date() }).where(eq(intakeChannels.id, row.id));
    // This process stops using its cached copy now; others within a second (find-accepting-channel.ts).
    forgetAcceptingChannel(row.id);
    return {
      result: { id: row.id, changed: Object.keys(next) },
      target: { type: "intake_channel", id: row.id, label: next.name ?? row.name },
      metadata: { before, after: next },
    };
  },
});
