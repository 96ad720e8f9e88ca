import type { CliCommand, CliOption } from "./define-cli-command";

export const PROGRAM = "npm run cli --";

const GLOBAL_OPTIONS: CliOption[] = [
  { flag: "json", description: "Machine-readable output on stdout; errors as JSON on stderr" },
  { flag: "help", description: "Show help (also -h)" },
];

const name = (command: CliCommand) => command.words.join(" ");
const optionLabel = (o: CliOption) => `--${o.flag}${o.value ? ` <${o.value}>` : ""}${o.multiple ? "..." : ""}`;

export function usageLine(command: CliCommand): string {
  const options = command.options.map((o) => (o.required ? optionLabel(o) : `[${optionLabel(o)}]`));
  return `Usage: ${[PROGRAM, name(command), ...options, "[--json]"].join(" ")}`;
}

export function formatCommandHelp(command: CliCommand): string {
  const lines = [command.summary, "", usageLine(command), ""];
  if (command.options.length) lines.push("Options:", ...table(command.options.map((o) => [optionLabel(o), o.description + (o.required ? " (required)" : "")])), "");
  lines.push("Global options:", ...table(GLOBAL_OPTIONS.map((o) => [optionLabel(o), o.description])));
  if (command.details?.length) lines.push("", ...command.details);
  if (command.examples?.length) lines.push("", "Examples:", ...command.examples.map((e) => `  ${PROGRAM} ${e}`));
  return lines.join("\n");
}

export function formatMainHelp(commands: CliCommand[]): string {
  return [
    "Countersign operator CLI: set up organizations, branches, members and API tokens.",
    "",
    `Usage: ${PROGRAM} <command> [options] [--json]`,
    "",
    "Commands:",
    ...table(commands.map((c) => [name(c), c.summary])),
    "",
    "Global options:",
    ...table(GLOBAL_OPTIONS.map((o) => [optionLabel(o), o.description])),
    "",
    "Database: DATABASE_URL when set, otherwise the embedded PostgreSQL in DATA_DIR (default .data),",
    "shared with `npm start` while it runs. Pending migrations are applied before every command.",
    "",
    `Run "${PROGRAM} <command> --help" for a command's options.`,
  ].join("\n");
}

export function formatGroupHelp(group: string, commands: CliCommand[]): string {
  const members = commands.filter((c) => c.words[0] === group);
  return [`Usage: ${PROGRAM} ${group} <subcommand> [options]`, "", "Subcommands:", ...table(members.map((c) => [name(c), c.summary]))].join("\n");
}

/** --help --json: the command list for tools. */
export function helpJson(commands: CliCommand[]) {
  return {
    commands: commands.map((c) => ({
      command: name(c),
      summary: c.summary,
      usage: usageLine(c).replace(/^Usage: /, ""),
      options: c.options.map((o) => ({ flag: `--${o.flag}`, value: o.value ?? null, required: Boolean(o.required), description: o.description })),
    })),
  };
}

function table(rows: string[][]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}
