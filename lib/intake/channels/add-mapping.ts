import { intakeChannelMappings } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { enterIntakeScope } from "./enter-intake-scope";
import { assertBranchOfAccount, loadChannel, resolveAccount } from "./resolve-intake-refs";
import { addMappingSchema } from "./schemas";

/**
 * Says which account (and branch) a sender id on this channel is. A payload can create orders
 * only in the accounts its channel maps (security checklist), so this is the one place that
 * decides where a partner's orders may land.
 */
export const addMappingCommand = defineCommand({
  name: "intake.mapping.added",
  description: "A sender id on an intake channel was mapped to a customer account (and branch).",
  access: { permission: "intake:manage" },
  input: addMappingSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const { tx } = ctx;
    const channel = await loadChannel(tx, supplier.id, input.channelId);
    const account = await resolveAccount(tx, supplier.id, input.account);
    if (input.branchId) await assertBranchOfAccount(tx, account.id, input.branchId);
    const [row] = await tx
      .insert(intakeChannelMappings)
      .values({ orgId: supplier.id, channelId: channel.id, senderId: input.senderId, accountId: account.id, branchId: input.branchId ?? null })
      .onConflictDoNothing()
      .returning({ id: intakeChannelMappings.id });
    if (!row) throw new ConflictError(`The sender "${input.senderId}" is already mapped on this channel; remove that mapping first.`, "senderId");
    return {
      result: { id: row.id, channelId: channel.id, senderId: input.senderId, accountId: account.id, branchId: input.branchId ?? null },
      target: { type: "intake_channel", id: channel.id, label: channel.name },
      metadata: { after: { senderId: input.senderId, account: account.slug, branchId: input.branchId ?? null } },
    };
  },
});
