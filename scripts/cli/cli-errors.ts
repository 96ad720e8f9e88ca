/** The command line itself is wrong: unknown command or option, missing required option. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    /** The usage line to show under the message, when one command is known. */
    readonly usage?: string,
  ) {
    super(message);
    this.name = "CliUsageError";
  }
}

/** The database could not be opened or reached. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

// SQLSTATEs and driver/socket codes that mean "cannot talk to the database", not "bad query".
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "28000", // invalid authorization
  "28P01", // wrong password
  "3D000", // database does not exist
  "53300", // too many connections
  "57P01", // admin shutdown
  "57P02", // crash shutdown
  "57P03", // cannot connect now (starting up)
]);

/** The innermost cause (drizzle wraps driver errors in "Failed query: ..." with the params). */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const next = (current as { cause?: unknown } | null)?.cause;
    if (!next || next === current) break;
    current = next;
  }
  return current;
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 10; current = (current as { cause?: unknown }).cause, depth++) {
    const code = errorCode(current);
    if (code && UNAVAILABLE_CODES.has(code)) return true;
    if (current instanceof AggregateError && current.errors.some(isConnectionError)) return true;
  }
  return false;
}

/** A failure already explained in one line (exit 1); the cause is shown only with DEBUG. */
export class CliFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliFailedError";
  }
}
