// Errors of log cursors: a `from` that is not a position, a cursor used after close.

/** `from` is neither "start", "end" nor a checkpoint written by a log cursor. */
export class InvalidCheckpointError extends Error {
  readonly code = "CHECKPOINT_INVALID" as const;

  constructor(received: unknown) {
    super(`from must be "start", "end" or a Checkpoint ({ file: { dev, ino, head }, offset, line }), received ${JSON.stringify(received)}`);
    this.name = "InvalidCheckpointError";
  }
}

/** `poll()` on a cursor after `close()`. */
export class CursorClosedError extends Error {
  readonly code = "CURSOR_CLOSED" as const;

  constructor(path: string) {
    super(`the log cursor on ${path} is closed`);
    this.name = "CursorClosedError";
  }
}
