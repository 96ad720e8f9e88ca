import { and, eq } from "drizzle-orm";
import { intakeChannelMappings, intakeChannels, type IntakeRules } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { enterIntakeScope } from "./enter-intake-scope";
import { loadChannel, resolveAccount } from "./resolve-intake-refs";
import { changeRulesSchema } from "./schemas";

/**
 * Replaces the rule overrides of a channel, or of one account on it (every mapping of that
 * account on the channel gets the same overrides). A rule left out goes back to its safe default.
 * The event lists each rule whose value changed, before and after, so every override is on record.
 */
export const changeRulesCommand = defineCommand({
  name: "intake.rules.changed",
  description: "The validation rules of an intake channel, or of one account on it, changed; metadata lists each rule before and after.",
  access: { permission: "intake:manage" },
  input: changeRulesSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const { tx } = ctx;
    const channel = await loadChannel(tx, supplier.id, input.channelId);
    let before: IntakeRules = channel.rules;
    let scope: { account: string | null } = { account: null };
    if (input.account) {
      const account = await resolveAccount(tx, supplier.id, input.account);
      const mapped = await tx.select({ rules: intakeChannelMappings.rules }).from(intakeChannelMappings).where(and(eq(intakeChannelMappings.channelId, channel.id), eq(intakeChannelMappings.accountId, account.id)));
      if (mapped.length === 0) throw new ValidationError({ account: [`"${input.account}" has no mapping on this channel: add one first`] });
      before = mapped[0]!.rules;
      await tx.update(intakeChannelMappings).set({ rules: input.rules }).where(and(eq(intakeChannelMappings.channelId, channel.id), eq(intakeChannelMappings.accountId, account.id)));
      scope = { account: account.slug };
    } else {
      await tx.update(intakeChannels).set({ rules: input.rules, updatedAt: new Date() }).where(eq(intakeChannels.id, channel.id));
    }
    const keys = [...new Set([...Object.keys(before), ...Object.keys(input.rules)])] as Array<keyof IntakeRules>;
    const changes = keys
      .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(input.rules[key] ?? null))
      .map((rule) => ({ rule, before: before[rule] ?? "default", after: input.rules[rule] ?? "default" }));
    return {
      result: { channelId: channel.id, ...scope, rules: input.rules, changed: changes.map((c) => c.rule) },
      target: { type: "intake_channel", id: channel.id, label: channel.name },
      metadata: { ...scope, changes },
    };
  },
});
