import { and, eq } from "drizzle-orm";
import { intakeChannelMappings } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { enterIntakeScope } from "./enter-intake-scope";
import { loadChannel } from "./resolve-intake-refs";
import { removeMappingSchema } from "./schemas";

/** Unmaps a sender: its next payloads have no account and are held or refused, never guessed. */
export const removeMappingCommand = defineCommand({
  name: "intake.mapping.removed",
  description: "A sender id's mapping to a customer account on an intake channel was removed.",
  access: { permission: "intake:manage" },
  input: removeMappingSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const channel = await loadChannel(ctx.tx, supplier.id, input.channelId);
    const [row] = await ctx.tx
      .delete(intakeChannelMappings)
      .where(and(eq(intakeChannelMappings.channelId, channel.id), eq(intakeChannelMappings.senderId, input.senderId)))
      .returning({ id: intakeChannelMappings.id, accountId: intakeChannelMappings.accountId, branchId: intakeChannelMappings.branchId });
    if (!row) throw new NotFoundError("Mapping");
    return {
      result: { id: row.id },
      target: { type: "intake_channel", id: channel.id, label: channel.name },
      metadata: { before: { senderId: input.senderId, accountId: row.accountId, branchId: row.branchId } },
    };
  },
});
