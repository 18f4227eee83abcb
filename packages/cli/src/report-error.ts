// Turns any error into the one line a user sees on stderr and an exit code.
// Never a stack trace unless TELEMETRY_DEBUG=1 asks for it.
import { CliUsageError } from "./cli-error.js";
import { ExitCode } from "./exit-code.js";

// OS errors a user fixes by pointing the command elsewhere or fixing
// permissions: usage errors (exit 2), not failures of the tool.
const USER_OS_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EROFS: "read-only file system",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many symbolic links",
};

// Library errors (by their stable `code`) that mean the user's input was
// wrong: a bad option value, an oversized event, a file that is not what the
// command expects. Matched by code so this file depends on no package.
const USER_INPUT_CODES = new Set([
  "INVALID_OPTION",
  "EVENT_INVALID",
  "EVENT_TOO_LARGE",
  "NOT_LEGACY_DATABASE",
  "LEGACY_ROW_INVALID",
  "INVOCATION_INVALID",
  "DUPLICATE_INVOCATION",
  "CHECKPOINT_INVALID",
  "QUERY_INVALID",
]);

// Library errors (by code) that mean this machine lacks something the command
// needs, e.g. the SQLite engine: not the user's input, so exit 1, and the
// message is printed whole (it lists the install commands, one per line).
const MISSING_DEPENDENCY_CODES = new Set(["SQLITE_UNAVAILABLE"]);

interface OsErrorLike {
  code?: unknown;
  path?: unknown;
  cause?: unknown;
  message?: unknown;
}

/** The first error in the `cause` chain that carries an OS error code. */
function findOsError(error: unknown): { code: string; path: string | undefined } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const candidate = current as OsErrorLike;
    if (typeof candidate.code === "string" && candidate.code in USER_OS_ERRORS) {
      return { code: candidate.code, path: typeof candidate.path === "string" ? candidate.path : undefined };
    }
    current = candidate.cause;
  }
  return undefined;
}

function flatten(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

export interface ErrorReport {
  readonly line: string;
  readonly exitCode: ExitCode;
}

/**
 * `telemetry tail: no such file or directory: logs/x.jsonl` (exit 2), or for
 * an unexpected error its message plus a hint how to see the stack (exit 1).
 */
export function describeError(command: string, error: unknown, env: Readonly<Record<string, string | undefined>>): ErrorReport {
  const prefix = `telemetry${command ? ` ${command}` : ""}: `;
  if (error instanceof CliUsageError) return { line: prefix + flatten(error.message), exitCode: ExitCode.USAGE };
  if (error instanceof Error && MISSING_DEPENDENCY_CODES.has(String((error as OsErrorLike).code))) {
    return { line: prefix + error.message.trim(), exitCode: ExitCode.PROBLEMS };
  }
  if (error instanceof Error && USER_INPUT_CODES.has(String((error as OsErrorLike).code))) {
    return { line: prefix + flatten(error.message), exitCode: ExitCode.USAGE };
  }

  const os = findOsError(error);
  if (os) {
    // Node's own messages ("ENOENT: no such file or directory, open 'x'")
    // are rephrased; a library's message (which says what it was doing) is kept.
    const outer = error instanceof Error ? error.message : "";
    const line = outer === "" || outer.startsWith(`${os.code}:`)
      ? `${USER_OS_ERRORS[os.code] ?? os.code}${os.path ? `: ${os.path}` : ""} (${os.code})`
      : `${flatten(outer)}${outer.includes(os.code) ? "" : ` (${os.code})`}`;
    return { line: prefix + line, exitCode: ExitCode.USAGE };
  }

  const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  const code = error instanceof Error && typeof (error as OsErrorLike).code === "string" ? ` (${String((error as OsErrorLike).code)})` : "";
  const hint = env.TELEMETRY_DEBUG === "1" ? "" : " [set TELEMETRY_DEBUG=1 to see the stack trace]";
  return { line: `${prefix}${flatten(message)}${code}${hint}`, exitCode: ExitCode.PROBLEMS };
}
