import { and, eq } from "drizzle-orm";
import { intakeXrefs } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { enterIntakeScope } from "./enter-intake-scope";
import { loadChannel, resolveAccount } from "./resolve-intake-refs";
import { removeXrefSchema } from "./schemas";

export const removeXrefCommand = defineCommand({
  name: "intake.xref.removed",
  description: "A buyer part number's cross-reference to a SKU on an intake channel was removed.",
  access: { permission: "intake:manage" },
  input: removeXrefSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const channel = await loadChannel(ctx.tx, supplier.id, input.channelId);
    const account = await resolveAccount(ctx.tx, supplier.id, input.account);
    const [row] = await ctx.tx
      .delete(intakeXrefs)
      .where(and(eq(intakeXrefs.channelId, channel.id), eq(intakeXrefs.accountId, account.id), eq(intakeXrefs.buyerPart, input.buyerPart)))
      .returning({ id: intakeXrefs.id, sku: intakeXrefs.sku });
    if (!row) throw new NotFoundError("Cross-reference");
    return {
      result: { id: row.id },
      target: { type: "intake_channel", id: channel.id, label: channel.name },
      metadata: { before: { account: account.slug, buyerPart: input.buyerPart, sku: row.sku } },
    };
  },
});
