export { openEventWriter, writerStats, type EventWriter, type EventWriterStats } from "./open-event-writer.js";
export type { WriterOptions, Durability } from "./options.js";
export { WriterError, WriterErrorCode, type OsErrorCode } from "./errors.js";
export { rotateFiles, rotatedPaths, type RotateFilesOptions } from "./rotation.js";
export { repairTornTail } from "./torn-tail.js";
export { rotationLockPath, ROTATION_LOCK_STALE_MS } from "./rotation-lock.js";
