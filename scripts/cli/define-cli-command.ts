import type { Db } from "@/db/client";
import type { MigrationReport } from "./open-cli-database";

/** One `--flag` of a command; `field` is the input field it feeds, for naming it in errors. */
export interface CliOption {
  flag: string;
  /** Placeholder shown in help; omitted for a boolean switch. */
  value?: string;
  description: string;
  required?: boolean;
  field?: string;
  /** May be given more than once (`--permission a --permission b`); the value is then a string[]. */
  multiple?: boolean;
}

export type CliFlags = Record<string, string | string[] | boolean | undefined>;

export interface CliContext {
  flags: CliFlags;
  db: Db;
  /** What opening the database migrated (every command migrates first). */
  migrations: MigrationReport;
  /** Progress for a person: stdout in human mode, stderr with --json (stdout stays pure JSON). */
  log(line: string): void;
}

/** What a command prints: `human` lines on stdout, or `json` on stdout with --json. */
export interface CliOutput {
  human: string[];
  json: unknown;
  /** A finding that is not an error but scripts must see (`audit verify` on a broken chain); default 0. */
  exitCode?: number;
}

export interface CliCommand {
  /** The words that select it: ["org", "create"]. */
  words: string[];
  summary: string;
  options: CliOption[];
  /** Extra help text below the option list. */
  details?: string[];
  examples?: string[];
  run(ctx: CliContext): Promise<CliOutput>;
}

export function defineCliCommand(command: CliCommand): CliCommand {
  return command;
}

/** A flag's string value; parse-command-line.ts already rejected a missing required one. */
export function stringFlag(flags: CliFlags, flag: string): string | undefined {
  const value = flags[flag];
  return typeof value === "string" ? value : undefined;
}

export function requiredFlag(flags: CliFlags, flag: string): string {
  return stringFlag(flags, flag) ?? "";
}

/** Every value of a repeatable flag, in order; undefined when it was not given at all. */
export function listFlag(flags: CliFlags, flag: string): string[] | undefined {
  const value = flags[flag];
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : undefined;
}
