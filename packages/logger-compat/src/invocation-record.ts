// The legacy InvocationRecord: its types, and the checks the old SQLite
// logger enforced through its table definition (NOT NULL columns, INTEGER
// tokens) plus the ones it left to callers (status and privacy values).
import { describeValue, isTimestamp } from "@telemetry/schema";

export const INVOCATION_STATUSES = Object.freeze(["success", "error", "timeout"] as const);
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

export const PRIVACY_LEVELS = Object.freeze(["metadata", "full", "none"] as const);
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

/** One LLM invocation, with the legacy snake_case field names. */
export interface InvocationRecord {
  invocation_id: string;
  /** `null` (or left out) when no agent made the request. */
  agent_name?: string | null;
  tool_name: string;
  model_name: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
  latency_ms: number;
  status: InvocationStatus;
  error_message?: string | null;
  /** Default: the logger's `privacyLevel`. */
  privacy_level?: PrivacyLevel;
  /** Default: now (UTC). A string without an offset is UTC, as the legacy store wrote it. */
  timestamp?: Date | string;
}

/** A stored invocation as the queries return it: every field present, `timestamp` an ISO 8601 string with offset. */
export interface InvocationRow {
  readonly invocation_id: string;
  readonly timestamp: string;
  readonly agent_name: string | null;
  readonly tool_name: string;
  readonly model_name: string;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly cost_usd: number;
  readonly latency_ms: number;
  readonly status: InvocationStatus;
  readonly error_message: string | null;
  readonly privacy_level: PrivacyLevel;
}

export interface InvocationIssue {
  /** The record field at fault, e.g. `prompt_tokens`; empty for the record itself. */
  readonly path: string;
  readonly message: string;
}

export class InvocationValidationError extends Error {
  readonly code = "INVOCATION_INVALID" as const;
  readonly issues: readonly InvocationIssue[];

  constructor(issues: readonly InvocationIssue[], options?: ErrorOptions) {
    super(`Invalid invocation record: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`, options);
    this.name = "InvocationValidationError";
    this.issues = issues;
  }
}

/** Every field of an InvocationRecord: the legacy table's columns but its row `id`. */
export const INVOCATION_FIELDS = Object.freeze([
  "invocation_id",
  "agent_name",
  "tool_name",
  "model_name",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cost_usd",
  "latency_ms",
  "status",
  "error_message",
  "privacy_level",
  "timestamp",
] as const);

const RECORD_FIELDS: ReadonlySet<string> = new Set(INVOCATION_FIELDS);

const TOKEN_FIELDS = ["prompt_tokens", "completion_tokens", "total_tokens"] as const;
const AMOUNT_FIELDS = ["cost_usd", "latency_ms"] as const;

// Accepts what the legacy store held: ISO `T` or SQLite's space separator
// (CURRENT_TIMESTAMP defaults), optional fraction, optional offset.
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;


/**
 * Turns a timestamp into the ISO 8601 text stored in the event's `ts`.
 * A naive one (no offset) is UTC, as the legacy logger wrote it, so it gets
 * `+00:00`; fractional digits are kept as written (legacy rows carry
 * microseconds that a `Date` would lose). Returns undefined if unusable.
 */
export function normalizeTimestamp(value: Date | string): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  const match = TIMESTAMP_TEXT.exec(value.trim());
  if (!match) return undefined;
  const [, date, time, offset] = match as unknown as [string, string, string, string | undefined];
  const seconds = time.length === 5 ? `${time}:00` : time;
  let zone = "+00:00";
  if (offset !== undefined && offset.toUpperCase() !== "Z") zone = offset.includes(":") ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  else if (offset !== undefined) zone = "Z";
  const text = `${date}T${seconds}${zone}`;
  // The schema's own rule: Date.parse would roll 2026-02-30 over to March.
  return isTimestamp(text) ? text : undefined;
}

export interface ValidateOptions {
  /** Used when the record has no `privacy_level`. */
  readonly privacyLevel: PrivacyLevel;
  /** Used when the record has no `timestamp`. */
  readonly now: () => Date;
}

/**
 * Checks a caller's record and returns the row that will be stored, with
 * defaults filled in.
 * @throws {InvocationValidationError} naming every bad field.
 */
export function validateInvocationRecord(record: unknown, options: ValidateOptions): InvocationRow {
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new InvocationValidationError([{ path: "", message: `expected an invocation record object, received ${describeValue(record)}` }]);
  }
  const input = record as Record<string, unknown>;
  const issues: InvocationIssue[] = [];
  for (const key of Object.keys(input)) {
    if (!RECORD_FIELDS.has(key)) {
      const hint = key === "id" ? " (the legacy SQLite row id is not part of a record)" : "";
      issues.push({ path: key, message: `unknown field${hint}` });
    }
  }
  const requireText = (field: string): string => {
    const value = input[field];
    if (value === undefined) issues.push({ path: field, message: "is required" });
    else if (typeof value !== "string") issues.push({ path: field, message: `expected string, received ${describeValue(value)}` });
    else if (value.length === 0) issues.push({ path: field, message: "must not be empty" });
    else return value;
    return "";
  };
  const invocation_id = requireText("invocation_id");
  const tool_name = requireText("tool_name");
  const model_name = requireText("model_name");

  let agent_name: string | null = null;
  if (input.agent_name !== undefined && input.agent_name !== null) {
    if (typeof input.agent_name !== "string") issues.push({ path: "agent_name", message: `expected string or null, received ${describeValue(input.agent_name)}` });
    else if (input.agent_name.length === 0) issues.push({ path: "agent_name", message: "must not be empty (use null for no agent)" });
    else agent_name = input.agent_name;
  }

  const numbers: Record<string, number> = {};
  for (const field of [...TOKEN_FIELDS, ...AMOUNT_FIELDS]) {
    const value = input[field];
    const integer = (TOKEN_FIELDS as readonly string[]).includes(field);
    if (value === undefined) issues.push({ path: field, message: "is required" });
    else if (typeof value !== "number" || !Number.isFinite(value)) issues.push({ path: field, message: `expected a finite number, received ${describeValue(value)}` });
    else if (value < 0) issues.push({ path: field, message: `must be >= 0, received ${value}` });
    else if (integer && !Number.isSafeInteger(value)) issues.push({ path: field, message: `must be a whole number, received ${value}` });
    else numbers[field] = value;
  }

  const status = input.status;
  if (status === undefined) issues.push({ path: "status", message: "is required" });
  else if (!(INVOCATION_STATUSES as readonly unknown[]).includes(status)) {
    issues.push({ path: "status", message: `expected one of ${INVOCATION_STATUSES.join(", ")}, received ${describeValue(status)}` });
  }

  let error_message: string | null = null;
  if (input.error_message !== undefined && input.error_message !== null) {
    if (typeof input.error_message !== "string") issues.push({ path: "error_message", message: `expected string or null, received ${describeValue(input.error_message)}` });
    else error_message = input.error_message;
  }

  let privacy_level = options.privacyLevel;
  if (input.privacy_level !== undefined) {
    if (!(PRIVACY_LEVELS as readonly unknown[]).includes(input.privacy_level)) {
      issues.push({ path: "privacy_level", message: `expected one of ${PRIVACY_LEVELS.join(", ")}, received ${describeValue(input.privacy_level)}` });
    } else privacy_level = input.privacy_level as PrivacyLevel;
  }

  let timestamp = "";
  const rawTimestamp = input.timestamp ?? options.now();
  if (!(rawTimestamp instanceof Date) && typeof rawTimestamp !== "string") {
    issues.push({ path: "timestamp", message: `expected a Date or an ISO 8601 string, received ${describeValue(rawTimestamp)}` });
  } else {
    const normalized = normalizeTimestamp(rawTimestamp);
    if (normalized === undefined) issues.push({ path: "timestamp", message: `expected a valid Date or ISO 8601 date-time, received ${describeValue(rawTimestamp instanceof Date ? "Invalid Date" : rawTimestamp)}` });
    else timestamp = normalized;
  }

  if (issues.length > 0) throw new InvocationValidationError(issues);
  return {
    invocation_id,
    timestamp,
    agent_name,
    tool_name,
    model_name,
    prompt_tokens: numbers.prompt_tokens!,
    completion_tokens: numbers.completion_tokens!,
    total_tokens: numbers.total_tokens!,
    cost_usd: numbers.cost_usd!,
    latency_ms: numbers.latency_ms!,
    status: status as InvocationStatus,
    error_message,
    privacy_level,
  };
}
