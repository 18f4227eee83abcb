// Typed errors of the compat logger: each has a stable `code`.

/** The legacy store raised an integrity error for a reused `invocation_id`; so do we, and write nothing. */
export class DuplicateInvocationError extends Error {
  readonly code = "DUPLICATE_INVOCATION" as const;
  readonly invocationId: string;

  constructor(invocationId: string) {
    super(`Invocation "${invocationId}" is already in the log: invocation_id must be unique (nothing was written)`);
    this.name = "DuplicateInvocationError";
    this.invocationId = invocationId;
  }
}

/** A query or open option that cannot be used, e.g. `startDate: "Jan 5"` or `limit: -1`. */
export class InvalidOptionError extends Error {
  readonly code = "INVALID_OPTION" as const;
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = "InvalidOptionError";
    this.option = option;
  }
}

export class LoggerClosedError extends Error {
  readonly code = "LOGGER_CLOSED" as const;

  constructor() {
    super("TelemetryLogger is closed");
    this.name = "LoggerClosedError";
  }
}

/** The file given to `importLegacyDatabase` is not a legacy telemetry database (or cannot be read as one). */
export class NotLegacyDatabaseError extends Error {
  readonly code = "NOT_LEGACY_DATABASE" as const;
  readonly dbPath: string;

  constructor(dbPath: string, reason: string, options?: ErrorOptions) {
    super(`${dbPath} is not a legacy telemetry database: ${reason} (nothing was imported)`, options);
    this.name = "NotLegacyDatabaseError";
    this.dbPath = dbPath;
  }
}

/**
 * No usable SQLite engine for `importLegacyDatabase`: better-sqlite3 (an
 * optional peer dependency, needed only to import) is not installed, its
 * native module was never built (pnpm 10 skips build scripts until they are
 * approved), it was built for another Node, or it is a major version that
 * does not run on this Node. The message says how to install it.
 */
export class SqliteUnavailableError extends Error {
  readonly code = "SQLITE_UNAVAILABLE" as const;

  constructor(reason: string, options?: ErrorOptions) {
    super(
      `importing a legacy database needs the SQLite engine better-sqlite3@^12, which ${reason}. Install it next to @telemetry/logger-compat (or @telemetry/cli):\n` +
        `  npm:  npm install better-sqlite3@^12 (installed but not built: npm rebuild better-sqlite3)\n` +
        `  pnpm: pnpm add better-sqlite3@^12, then approve its build script: pnpm approve-builds (or list it under onlyBuiltDependencies in pnpm-workspace.yaml) and pnpm rebuild better-sqlite3\n` +
        `  global CLI: npm install -g @telemetry/cli better-sqlite3@^12\n` +
        `Prebuilt binaries exist for common platforms; elsewhere it compiles from source (needs python3, make and a C++ compiler). Nothing was imported.`,
      options,
    );
    this.name = "SqliteUnavailableError";
  }
}
