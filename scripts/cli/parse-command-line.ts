import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CliCommand, CliFlags } from "./define-cli-command";
import { CliUsageError } from "./cli-errors";
import { PROGRAM, usageLine } from "./format-help";

export type CommandLine =
  | { kind: "help"; command?: CliCommand; group?: string }
  | { kind: "run"; command: CliCommand; flags: CliFlags };

const GLOBAL_FLAGS = new Set(["--json", "--help", "-h"]);

/** --json anywhere before a "--" terminator; known before parsing so even usage errors are JSON. */
export function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

/** Picks the command from the leading words, then parses its flags strictly. */
export function parseCommandLine(argv: string[], commands: CliCommand[]): CommandLine {
  const words: string[] = [];
  const rest: string[] = [];
  let matched: CliCommand | undefined;
  for (const token of argv) {
    // Up to three words: `sso connection create`.
    const collecting = rest.every((t) => GLOBAL_FLAGS.has(t)) && !matched && words.length < 3;
    if (collecting && !token.startsWith("-")) {
      words.push(token);
      matched = commands.find((c) => c.words.join(" ") === words.join(" "));
    } else {
      rest.push(token);
    }
  }
  const end = rest.indexOf("--");
  const help = (end === -1 ? rest : rest.slice(0, end)).some((t) => t === "--help" || t === "-h");

  if (!matched) {
    const group = words[0];
    const isGroup = group !== undefined && commands.some((c) => c.words[0] === group && c.words.length > 1);
    if (words.length === 0 && (help || rest.every((t) => t === "--json"))) return { kind: "help" };
    if (isGroup && words.length === 1) {
      if (help) return { kind: "help", group };
      const subcommands = commands.filter((c) => c.words[0] === group).map((c) => c.words.join(" "));
      throw new CliUsageError(`"${group}" needs a subcommand: ${subcommands.join(", ")}.`);
    }
    const known = commands.map((c) => c.words.join(" ")).join(", ");
    const what = words.length ? `Unknown command "${words.join(" ")}"` : "No command given";
    throw new CliUsageError(`${what}. Commands: ${known}. Run "${PROGRAM} --help" for usage.`);
  }
  if (help) return { kind: "help", command: matched };

  const options: NonNullable<ParseArgsConfig["options"]> = { json: { type: "boolean" }, help: { type: "boolean", short: "h" } };
  for (const o of matched.options) options[o.flag] = { type: o.value ? "string" : "boolean", ...(o.multiple ? { multiple: true } : {}) };
  let values: CliFlags;
  try {
    values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values as CliFlags;
  } catch (error) {
    throw new CliUsageError(describeParseError(error), usageLine(matched));
  }
  const missing = matched.options.filter((o) => o.required && values[o.flag] === undefined).map((o) => `--${o.flag}`);
  if (missing.length) throw new CliUsageError(`${matched.words.join(" ")}: missing required option${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`, usageLine(matched));
  return { kind: "run", command: matched, flags: values };
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code ?? "";
  if (!code.startsWith("ERR_PARSE_ARGS")) throw error;
  // Node adds advice: keep the first sentence, and the "--name=-XYZ" hint for a value starting with "-".
  const lines = (error as Error).message.split("\n");
  const first = `${lines[0]!.split(/\.\s/)[0]!.replace(/\.$/, "")}.`;
  const hint = lines.find((line) => line.startsWith("To specify an option argument"));
  return hint ? `${first} ${hint}` : first;
}
