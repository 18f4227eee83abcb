// Query options that cannot be evaluated fail before any file is read.

export class InvalidQueryError extends Error {
  readonly code = "QUERY_INVALID" as const;
  /** The option at fault, e.g. `since`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`Invalid query option ${option}: ${message}`);
    this.name = "InvalidQueryError";
    this.option = option;
  }
}
