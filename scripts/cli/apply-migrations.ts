import { defineCliCommand } from "./define-cli-command";

/** `migrate`: the work happens in openCliDatabase (every command migrates first); this reports it. */
export const applyMigrationsCli = defineCliCommand({
  words: ["migrate"],
  summary: "Apply pending database migrations",
  options: [],
  details: ["Safe to run while the server runs and on every deploy: migrations run under an advisory lock."],
  examples: ["migrate"],
  async run({ migrations }) {
    const { applied, total, expected } = migrations;
    const human = [applied > 0 ? `Applied ${applied} migration${applied === 1 ? "" : "s"}; the database is up to date (${total} in total).` : `The database is already up to date (${total} migrations).`];
    if (total > expected) human.push(`Note: the database has ${total} migrations but this version ships ${expected}; a newer version migrated it.`);
    return { human, json: { applied, total, expected, current: total === expected } };
  },
});
