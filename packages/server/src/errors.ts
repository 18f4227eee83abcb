// Typed errors of the server, each with a stable `code`.

/** A `from=` or `Last-Event-ID` value that is not a position token. Answered with 400. */
export class InvalidPositionTokenError extends Error {
  readonly code = "POSITION_TOKEN_INVALID";
  constructor(
    readonly token: string,
    reason: string,
  ) {
    super(`invalid position token ${JSON.stringify(token.length > 60 ? `${token.slice(0, 60)}...` : token)}: ${reason}`);
    this.name = "InvalidPositionTokenError";
  }
}

/** A server option that cannot work, e.g. a non-loopback host without a token. */
export class ServerOptionError extends Error {
  readonly code = "SERVER_OPTION_INVALID";
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = "ServerOptionError";
  }
}

/** A query parameter the API cannot use (unknown `by` key, bad `limit`, bad time). Answered with 400. */
export class BadRequestError extends Error {
  readonly code = "BAD_REQUEST";
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
    this.name = "BadRequestError";
  }
}
