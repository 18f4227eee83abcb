// Typed validation errors: a stable code and the path of every bad field.

export interface ValidationIssue {
  /** Dotted field path, e.g. `metrics.prompt_tokens`; empty for the event itself. */
  readonly path: string;
  readonly message: string;
}

export class EventValidationError extends Error {
  readonly code = "EVENT_INVALID" as const;
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(`Invalid telemetry event: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`);
    this.name = "EventValidationError";
    this.issues = issues;
  }
}
