import { defineCliCommand } from "./define-cli-command";
import { CliFailedError } from "./cli-errors";

export const auditCheckpointCli = defineCliCommand({
  words: ["audit", "checkpoint"],
  summary: "Sign the head of every audit chain that moved since its last checkpoint",
  options: [],
  details: [
    "The launcher does this every AUDIT_CHECKPOINT_MINUTES, and the append every",
    "AUDIT_CHECKPOINT_EVERY events; run it by hand before handing a trail to an auditor, so its",
    "latest events are covered by a signature too. Running it twice signs nothing the second time.",
    "",
    "It signs with the launcher's key (AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_FILE, or",
    "DATA_DIR/audit-signing-key.pem) and never generates one: without a key it exits 1.",
  ],
  examples: ["audit checkpoint", "audit checkpoint --json"],
  async run({ db }) {
    const { checkAuditSigningKey, adoptExistingAuditSigningKey } = await import("./audit-keys");
    adoptExistingAuditSigningKey();
    const keyId = await checkAuditSigningKey();
    if (!keyId) {
      throw new CliFailedError("No audit signing key: set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE, or start the server once so it generates DATA_DIR/audit-signing-key.pem.");
    }
    const { checkpointMovedChains } = await import("@/lib/audit/checkpoint");
    const signed = await checkpointMovedChains(db);
    return {
      human: [signed === 0 ? "Every chain head is already covered by a checkpoint; nothing signed." : `Signed ${signed} chain head${signed === 1 ? "" : "s"} with key ${keyId}.`],
      json: { signed, keyId },
    };
  },
});
