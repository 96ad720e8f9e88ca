import { randomUUID } from "node:crypto";
import { intakeChannels } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { generateSecret, hashSecret } from "@/lib/identity/secrets";
import { sealSecret } from "@/lib/mfa/secret-box";
import { channelMessagesUrl } from "./channel-url";
import { enterIntakeScope } from "./enter-intake-scope";
import { assertBranchOfAccount, resolveAccount } from "./resolve-intake-refs";
import { createChannelSchema, formatHasSecret } from "./schemas";

export interface CreatedChannel {
  id: string;
  url: string;
  /** Shown once: only its SHA-256 is stored. */
  token: string;
  /** cXML / Shopify only, shown once: stored sealed (AES-256-GCM, bound to the channel id). */
  secret?: string;
}

/**
 * Adds an intake channel to the supplier. The bearer token and the secret are returned once and
 * never again; neither appears in the audit event. The rules start from the safe defaults and
 * each override given here is recorded in the event's metadata.
 */
export const createChannelCommand = defineCommand({
  name: "intake.channel.created",
  description: "An order intake channel was added (format, name, default account and branch, rule overrides); never its token or secret.",
  access: { permission: "intake:manage" },
  input: createChannelSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const { tx } = ctx;
    const account = input.defaultAccount ? await resolveAccount(tx, supplier.id, input.defaultAccount, "defaultAccount") : null;
    if (input.defaultBranchId && !account) throw new ValidationError({ defaultBranchId: ["a default branch needs a default account"] });
    if (input.defaultBranchId && account) await assertBranchOfAccount(tx, account.id, input.defaultBranchId, "defaultBranchId");
    if (input.secret && !formatHasSecret(input.format)) throw new ValidationError({ secret: [`a ${input.format} channel has no shared secret; only cxml and shopify do`] });
    if (input.csvMapping && input.format !== "csv") throw new ValidationError({ csvMapping: ["only a csv channel has a column mapping"] });
    const id = randomUUID();
    const token = generateSecret();
    const secret = formatHasSecret(input.format) ? (input.secret ?? generateSecret()) : undefined;
    await tx.insert(intakeChannels).values({
      id,
      orgId: supplier.id,
      name: input.name,
      format: input.format,
      tokenHash: hashSecret(token),
      secretSealed: secret ? sealSecret(secret, id) : null,
      defaultAccountId: account?.id ?? null,
      defaultBranchId: input.defaultBranchId ?? null,
      rules: input.rules,
      csvMapping: input.csvMapping ?? null,
      maxBodyBytes: input.maxBodyBytes,
      maxDepth: input.maxDepth,
      expectedIntervalSeconds: input.expectedIntervalSeconds,
    });
    const result: CreatedChannel = { id, url: channelMessagesUrl(id), token, ...(secret ? { secret } : {}) };
    return {
      result,
      target: { type: "intake_channel", id, label: input.name },
      metadata: {
        after: {
          name: input.name,
          format: input.format,
          defaultAccount: account?.slug ?? null,
          defaultBranchId: input.defaultBranchId ?? null,
          rules: input.rules,
          maxBodyBytes: input.maxBodyBytes,
          maxDepth: input.maxDepth,
          expectedIntervalSeconds: input.expectedIntervalSeconds,
          secret: secret ? (input.secret ? "given" : "generated") : "none",
        },
      },
    };
  },
});
