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
