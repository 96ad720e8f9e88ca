import type { CliCommand } from "./define-cli-command";
import { applyMigrationsCli } from "./apply-migrations";
import { auditCheckpointCli } from "./audit-checkpoint";
import { auditExportCli } from "./audit-export";
import { auditVerifyCli } from "./audit-verify";
import { createBranchCli } from "./create-branch";
import { createOrgCli } from "./create-org";
import { createTokenCli } from "./create-token";
import { createUserCli } from "./create-user";
import { seedDemoDataCli } from "./seed-demo-data";

/** Every command, in the order `--help` lists them. */
export const cliCommands: CliCommand[] = [applyMigrationsCli, seedDemoDataCli, createOrgCli, createBranchCli, createUserCli, createTokenCli, auditVerifyCli, auditExportCli, auditCheckpointCli];
