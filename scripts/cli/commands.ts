import type { CliCommand } from "./define-cli-command";
import { explainAccessCli } from "./access-explain";
import { applyMigrationsCli } from "./apply-migrations";
import { auditCheckpointCli } from "./audit-checkpoint";
import { auditExportCli } from "./audit-export";
import { auditVerifyCli } from "./audit-verify";
import { deleteBranchCli, moveBranchCli, renameBranchCli } from "./branch-edit";
import { createBranchCli } from "./create-branch";
import { createOrgCli } from "./create-org";
import { createTokenCli } from "./create-token";
import { createUserCli } from "./create-user";
import { addGrantCli, listGrantsCli, revokeGrantCli } from "./grant-commands";
import { deactivateMemberCli, inviteMemberCli, listMembersCli, reactivateMemberCli, removeMemberCli, updateMemberCli } from "./member-commands";
import { deleteRoleCli } from "./role-delete";
import { listRolesCli } from "./role-list";
import { createRoleCli, updateRoleCli } from "./role-save";
import { seedDemoDataCli } from "./seed-demo-data";
import { unblockMfaCli } from "./unblock-mfa";
import { createSupplierCli, importCatalogCli, openAccountCli } from "./supplier-commands";
import { createScimTokenCli, listScimTokensCli, revokeScimTokenCli } from "./scim-commands";
import { addIntakeMappingCli, addIntakeXrefCli, createIntakeChannelCli, disableIntakeChannelCli, removeIntakeMappingCli, removeIntakeXrefCli, setIntakeRulesCli } from "./intake-commands";
import { addSsoDomainCli, addSsoMappingCli, createSsoConnectionCli, deleteSsoConnectionCli, linkSsoIdentityCli, listSsoConnectionsCli, testSsoConnectionCli, unlinkSsoIdentityCli, verifySsoDomainCli } from "./sso-commands";

/** Every command, in the order `--help` lists them. */
export const cliCommands: CliCommand[] = [
  applyMigrationsCli,
  seedDemoDataCli,
  createOrgCli,
  createSupplierCli,
  openAccountCli,
  importCatalogCli,
  createBranchCli,
  renameBranchCli,
  moveBranchCli,
  deleteBranchCli,
  createUserCli,
  unblockMfaCli,
  listMembersCli,
  inviteMemberCli,
  updateMemberCli,
  deactivateMemberCli,
  reactivateMemberCli,
  removeMemberCli,
  listRolesCli,
  createRoleCli,
  updateRoleCli,
  deleteRoleCli,
  addGrantCli,
  listGrantsCli,
  revokeGrantCli,
  explainAccessCli,
  createTokenCli,
  createSsoConnectionCli,
  listSsoConnectionsCli,
  testSsoConnectionCli,
  deleteSsoConnectionCli,
  addSsoDomainCli,
  verifySsoDomainCli,
  addSsoMappingCli,
  linkSsoIdentityCli,
  unlinkSsoIdentityCli,
  createScimTokenCli,
  listScimTokensCli,
  revokeScimTokenCli,
  createIntakeChannelCli,
  disableIntakeChannelCli,
  setIntakeRulesCli,
  addIntakeMappingCli,
  removeIntakeMappingCli,
  addIntakeXrefCli,
  removeIntakeXrefCli,
  auditVerifyCli,
  auditExportCli,
  auditCheckpointCli,
];
