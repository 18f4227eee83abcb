export {
  TelemetryLogger,
  type TelemetryLoggerOptions,
  type DailyCostsOptions,
  type InvocationsOptions,
  type StatisticsOptions,
} from "./telemetry-logger.js";
export {
  validateInvocationRecord,
  normalizeTimestamp,
  InvocationValidationError,
  INVOCATION_STATUSES,
  PRIVACY_LEVELS,
  type InvocationRecord,
  type InvocationRow,
  type InvocationIssue,
  type InvocationStatus,
  type PrivacyLevel,
} from "./invocation-record.js";
export { invocationToEventInput, invocationToEvent, eventToInvocation } from "./invocation-event.js";
export type { Statistics } from "./invocation-index.js";
export type { DailyCostRow } from "./daily-costs.js";
export {
  importLegacyDatabase,
  checkLegacyDatabase,
  LegacyRowError,
  type ImportLegacyDatabaseOptions,
  type ImportProgress,
  type ImportResult,
} from "./import-legacy-database.js";
export { DuplicateInvocationError, InvalidOptionError, LoggerClosedError, NotLegacyDatabaseError, SqliteUnavailableError } from "./errors.js";
