import { intakeXrefs } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { enterIntakeScope } from "./enter-intake-scope";
import { loadChannel, resolveAccount } from "./resolve-intake-refs";
import { addXrefSchema } from "./schemas";

/**
 * Maps a buyer's part number (per channel and account) to one of our SKUs. The SKU is not
 * required to exist today: the catalog may change, and the pipeline checks it per order.
 */
export const addXrefCommand = defineCommand({
  name: "intake.xref.added",
  description: "A buyer part number on an intake channel was cross-referenced to a SKU for one account.",
  access: { permission: "intake:manage" },
  input: addXrefSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const { tx } = ctx;
    const channel = await loadChannel(tx, supplier.id, input.channelId);
    const account = await resolveAccount(tx, supplier.id, input.account);
    const [row] = await tx
      .insert(intakeXrefs)
      .values({ orgId: supplier.id, channelId: channel.id, accountId: account.id, buyerPart: input.buyerPart, sku: input.sku })
      .onConflictDoNothing()
      .returning({ id: intakeXrefs.id });
    if (!row) throw new ConflictError(`The part "${input.buyerPart}" already has a cross-reference for this account on this channel.`, "buyerPart");
    return {
      result: { id: row.id, channelId: channel.id, accountId: account.id, buyerPart: input.buyerPart, sku: input.sku },
      target: { type: "intake_channel", id: channel.id, label: channel.name },
      metadata: { after: { account: account.slug, buyerPart: input.buyerPart, sku: input.sku } },
    };
  },
});
