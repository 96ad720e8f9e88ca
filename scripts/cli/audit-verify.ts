import { defineCliCommand, stringFlag } from "./define-cli-command";
import { CliUsageError } from "./cli-errors";
import { usageLine } from "./format-help";

/** Exit status when a chain does not verify: not an error of the CLI, a finding about the data. */
export const EXIT_CHAIN_BROKEN = 70;

export const auditVerifyCli = defineCliCommand({
  words: ["audit", "verify"],
  summary: "Check the audit trail's hash chains and signed checkpoints",
  options: [
    { flag: "org", value: "slug", description: "Only this organization's chain" },
    { flag: "all", description: "Every chain: each organization's and the global one (the default without --org)" },
    { flag: "public-key", value: "file", description: "Check checkpoint signatures with this Ed25519 public key (SPKI PEM)", field: "publicKey" },
  ],
  details: [
    "Recomputes every event's hash from the first one, and checks each signed checkpoint against the",
    "chain: a changed, deleted, inserted or rewritten event is reported at the first sequence number",
    "that no longer holds.",
    "",
    "Signatures are checked with --public-key, else AUDIT_PUBLIC_KEY, else the signing key",
    "(AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_FILE, or DATA_DIR/audit-signing-key.pem when the launcher",
    "generated one). This command never generates a key; without one only the hashes are checked.",
    "",
    "Exit status:",
    "  0   every chain checked is intact",
    `  ${EXIT_CHAIN_BROKEN}  at least one chain is broken (each broken chain's first bad event is printed)`,
    "  66  --org names no organization; 64, 65, 69 and 1 as for every command",
  ],
  examples: ["audit verify", "audit verify --org acme --json", "audit verify --public-key published-key.pem"],
  async run({ flags, db }) {
    const slug = stringFlag(flags, "org");
    if (slug !== undefined && flags.all) throw new CliUsageError("audit verify: use --org or --all, not both.", usageLine(auditVerifyCli));
    const { checkAuditKeys, adoptExistingAuditSigningKey, applyPublicKeyFile } = await import("./audit-keys");
    const publicKeyFile = stringFlag(flags, "public-key");
    if (publicKeyFile !== undefined) applyPublicKeyFile(publicKeyFile);
    adoptExistingAuditSigningKey();
    const keyId = await checkAuditKeys();

    const [{ verifyChain }, { chainLabel, listAuditChains }, { resolveOrg }] = await Promise.all([
      import("@/lib/audit/verify-chain"),
      import("./audit-chains"),
      import("./resolve-org"),
    ]);
    const chains = slug !== undefined ? [{ org: await resolveOrg(db, slug) }] : await listAuditChains(db);
    const reports = [];
    // On a terminal, a progress line per chain (rewritten in place); never in pipes or --json output.
    const tty = process.stderr.isTTY === true;
    for (const chain of chains) {
      const label = chainLabel(chain);
      let shown = 0;
      const onProgress = tty
        ? (checked: number, total: number) => {
            if (checked - shown < 50_000 && checked < total) return;
            shown = checked;
            process.stderr.write(`\r  verifying ${label}: ${checked.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events (${total ? Math.floor((100 * checked) / total) : 100}%)\u001b[K`);
          }
        : undefined;
      reports.push({ chain, report: await verifyChain(db, chain.org?.id ?? null, { onProgress }) });
      if (tty && shown > 0) process.stderr.write("\r\u001b[K");
    }

    const broken = reports.filter((r) => !r.report.intact);
    const width = Math.max(...reports.map((r) => chainLabel(r.chain).length));
    const human = [
      keyId ? `Checkpoint signatures checked with key ${keyId}.` : "No audit key configured: checkpoint signatures were NOT checked (see --help).",
      ...reports.map(({ chain, report }) => {
        const label = chainLabel(chain).padEnd(width);
        if (!report.intact) return `  ${label}  BROKEN at event ${report.firstBrokenShard ? `${report.firstBrokenShard}-` : ""}${report.firstBrokenSeq}: ${report.problem}`;
        const cp = report.checkpoints;
        const signed = cp.total === 0 ? "no checkpoint yet" : `${cp.total} checkpoint${cp.total === 1 ? "" : "s"}${cp.signaturesChecked ? `, ${cp.verified} signature${cp.verified === 1 ? "" : "s"} verified` : ""}`;
        return `  ${label}  intact  ${report.events} event${report.events === 1 ? "" : "s"}, ${signed}`;
      }),
      broken.length ? `${broken.length} of ${reports.length} chain${reports.length === 1 ? " is" : "s are"} BROKEN.` : `All ${reports.length} chain${reports.length === 1 ? " is" : "s are"} intact.`,
    ];
    return {
      human,
      json: {
        intact: broken.length === 0,
        signaturesChecked: keyId !== null,
        keyId,
        chains: reports.map(({ chain, report }) => ({ org: chain.org, ...report })),
      },
      exitCode: broken.length ? EXIT_CHAIN_BROKEN : 0,
    };
  },
});
