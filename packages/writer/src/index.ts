export { openEventWriter, writerStats, type EventWriter, type EventWriterStats } from "./open-event-writer.js";
export type { WriterOptions, Durability } from "./options.js";
export type { PrivacyLevel } from "./redaction.js";
export { REDACTED } from "./redaction.js";
export type { RecordErrorHandler } from "./record-error-report.js";
export { WriterError, WriterErrorCode, type OsErrorCode } from "./errors.js";
export { rotateFiles, rotatedPaths, type RotateFilesOptions } from "./rotation.js";
export { repairTornTail } from "./torn-tail.js";
export { rotationLockPath, ROTATION_LOCK_STALE_MS } from "./rotation-lock.js";
