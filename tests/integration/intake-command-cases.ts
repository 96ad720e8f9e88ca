import { runCommand } from "@/lib/core/command";
import { addMappingCommand } from "@/lib/intake/channels/add-mapping";
import { addXrefCommand } from "@/lib/intake/channels/add-xref";
import { changeRulesCommand } from "@/lib/intake/channels/change-rules";
import { createChannelCommand } from "@/lib/intake/channels/create-channel";
import { disableChannelCommand } from "@/lib/intake/channels/disable-channel";
import { removeMappingCommand } from "@/lib/intake/channels/remove-mapping";
import { removeXrefCommand } from "@/lib/intake/channels/remove-xref";
import { updateChannelCommand } from "@/lib/intake/channels/update-channel";
import { acceptingPrincipal, acceptMessagesCommand } from "@/lib/intake/inbox/accept-message";
import { findAcceptingChannel } from "@/lib/intake/inbox/find-accepting-channel";
import { makeOrg, meta, unique } from "../support/factories";
import { makeSupplier, openAccount } from "../support/supplier-factories";

/** The intake channel commands and acceptance, for the table in commands-audit.test.ts: each appends one event. */
export function intakeCommandCases(): Record<string, () => Promise<unknown>> {
  const channel = async (format: "json" | "x12-850" = "x12-850") => runCommand(createChannelCommand, (await makeSupplier()).operator, meta, { name: unique("Channel"), format });
  const account = async () => {
    const org = await makeOrg("Intake account");
    await openAccount(org.id);
    return org;
  };
  const supplier = async () => (await makeSupplier()).operator;
  return {
    "intake.channel.created": () => channel(),
    "intake.channel.updated": async () => runCommand(updateChannelCommand, await supplier(), meta, { channelId: (await channel()).id, name: "Renamed" }),
    "intake.channel.disabled": async () => runCommand(disableChannelCommand, await supplier(), meta, { channelId: (await channel()).id }),
    "intake.rules.changed": async () => runCommand(changeRulesCommand, await supplier(), meta, { channelId: (await channel()).id, rules: { unknownSku: "accept" } }),
    "intake.mapping.added": async () => runCommand(addMappingCommand, await supplier(), meta, { channelId: (await channel()).id, senderId: "ZZ:S", account: (await account()).slug }),
    "intake.mapping.removed": async () => {
      const [c, a, operator] = [await channel(), await account(), await supplier()];
      await runCommand(addMappingCommand, operator, meta, { channelId: c.id, senderId: "ZZ:S", account: a.slug });
      return runCommand(removeMappingCommand, operator, meta, { channelId: c.id, senderId: "ZZ:S" });
    },
    "intake.xref.added": async () => runCommand(addXrefCommand, await supplier(), meta, { channelId: (await channel()).id, account: (await account()).slug, buyerPart: "BP", sku: "SKU" }),
    "intake.xref.removed": async () => {
      const [c, a, operator] = [await channel(), await account(), await supplier()];
      await runCommand(addXrefCommand, operator, meta, { channelId: c.id, account: a.slug, buyerPart: "BP", sku: "SKU" });
      return runCommand(removeXrefCommand, operator, meta, { channelId: c.id, account: a.slug, buyerPart: "BP" });
    },
    "intake.messages.accepted": async () => {
      const accepting = (await findAcceptingChannel((await channel("json")).id))!;
      return runCommand(acceptMessagesCommand, acceptingPrincipal(accepting), meta, { channelId: accepting.id, items: [{ raw: Buffer.from("{}"), headers: {}, requestId: "r" }] });
    },
  };
}
