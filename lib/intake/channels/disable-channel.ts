import { eq } from "drizzle-orm";
import { intakeChannels } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { forgetAcceptingChannel } from "@/lib/intake/inbox/find-accepting-channel";
import { enterIntakeScope } from "./enter-intake-scope";
import { loadChannel } from "./resolve-intake-refs";
import { channelIdSchema } from "./schemas";

/**
 * Stops a channel accepting payloads (its next POST is a 404, like a channel that never
 * existed). Messages already in the inbox are still processed: disabling loses nothing.
 */
export const disableChannelCommand = defineCommand({
  name: "intake.channel.disabled",
  description: "An intake channel was disabled: it accepts no more payloads; what it had accepted is still processed.",
  access: { permission: "intake:manage" },
  input: channelIdSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const row = await loadChannel(ctx.tx, supplier.id, input.channelId);
    if (row.status !== "disabled") await ctx.tx.update(intakeChannels).set({ status: "disabled", updatedAt: new Date() }).where(eq(intakeChannels.id, row.id));
    // This process stops using its cached copy now; others within a second (find-accepting-channel.ts).
    forgetAcceptingChannel(row.id);
    return {
      result: { id: row.id, status: "disabled" as const },
      target: { type: "intake_channel", id: row.id, label: row.name },
      metadata: { before: { status: row.status }, after: { status: "disabled" } },
    };
  },
});
