// Errors of follow mode: a checkpoint that names no file of the log any more.
import type { Checkpoint } from "./checkpoint.js";

/** The checkpoint's file is gone (rotated out of retention, truncated or replaced): resuming would lose or repeat events. */
export class CheckpointNotFoundError extends Error {
  readonly code = "CHECKPOINT_NOT_FOUND" as const;
  readonly checkpoint: Checkpoint;

  constructor(path: string, checkpoint: Checkpoint) {
    super(
      `No file of ${path} (nor ${path}.N) is the checkpoint's file (dev ${checkpoint.file.dev}, inode ${checkpoint.file.ino}) with at least ${checkpoint.offset} bytes: it was rotated out, truncated or replaced`,
    );
    this.name = "CheckpointNotFoundError";
    this.checkpoint = checkpoint;
  }
}

/** `from` is neither "start", "end" nor a checkpoint written by followEvents. */
export class InvalidCheckpointError extends Error {
  readonly code = "CHECKPOINT_INVALID" as const;

  constructor(received: unknown) {
    super(`followEvents: from must be "start", "end" or a Checkpoint ({ file: { dev, ino, head }, offset, line }), received ${JSON.stringify(received)}`);
    this.name = "InvalidCheckpointError";
  }
}
