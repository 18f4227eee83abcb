// Redaction before anything reaches the disk: the legacy privacy levels and
// caller-chosen field paths, applied to the validated event, so the stored
// line (and the event `emit` resolves with) never holds the removed text.
import { EVENT_FIELDS, type TelemetryEvent } from "@telemetry/schema";

/** What the legacy configuration called `privacy_level`. */
export type PrivacyLevel = "full" | "metadata" | "none";

export const PRIVACY_LEVELS: readonly PrivacyLevel[] = ["full", "metadata", "none"];

/** The text that replaces a redacted value. */
export const REDACTED = "[REDACTED]";

/**
 * Fields each level keeps. "metadata" drops the free text of `summary`;
 * "none" keeps what identifies and measures an event (its type, time, ids
 * and metrics) and nothing a person wrote or a path names.
 */
const KEPT_BY_LEVEL: Readonly<Record<PrivacyLevel, ReadonlySet<string>>> = {
  full: new Set(EVENT_FIELDS),
  metadata: new Set(EVENT_FIELDS.filter((field) => field !== "summary")),
  none: new Set(["event", "ts", "run_id", "task_id", "metrics", "event_id"]),
};

/**
 * Fields a path may not name: the ones an event cannot be stored without,
 * and objects whose members are not all strings (only their string members
 * can hold "[REDACTED]" and stay valid).
 */
const NOT_REDACTABLE: ReadonlyMap<string, string> = new Map([
  ["event", "it is required and says what happened"],
  ["ts", "it is required"],
  ["event_id", "it is required"],
  ["metrics", 'its figures are numbers; only "metrics.model" can be redacted'],
  ["attributes", 'name its members: "attributes.<key>" or "attributes.*"'],
  ["log_paths", 'name its members: "log_paths.<key>" or "log_paths.*"'],
]);

/** Object fields whose members a path may name, with the members allowed ("*": any). */
const MEMBER_PATHS: ReadonlyMap<string, ReadonlySet<string> | "*"> = new Map<string, ReadonlySet<string> | "*">([
  ["attributes", "*"],
  ["log_paths", "*"],
  ["metrics", new Set(["model"])],
]);

interface FieldRule {
  /** The whole field is replaced. */
  readonly whole: boolean;
  /** Every member is replaced. */
  readonly allMembers: boolean;
  readonly members: ReadonlySet<string>;
}

/** Why `path` cannot be a redaction path, or undefined when it can. */
export function redactPathProblem(path: string): string | undefined {
  const dot = path.indexOf(".");
  const field = dot < 0 ? path : path.slice(0, dot);
  if (!(EVENT_FIELDS as readonly string[]).includes(field)) return `"${field}" is not an event field (fields: ${EVENT_FIELDS.join(", ")})`;
  if (dot < 0) return NOT_REDACTABLE.get(field) === undefined ? undefined : `"${path}" cannot be redacted: ${NOT_REDACTABLE.get(field)}`;
  const member = path.slice(dot + 1);
  const allowed = MEMBER_PATHS.get(field);
  if (allowed === undefined) return `"${field}" is a string and has no members; redact "${field}" itself`;
  if (member.length === 0) return `"${path}" names no member`;
  if (allowed !== "*" && !allowed.has(member)) return `"${path}" cannot be redacted: ${NOT_REDACTABLE.get(field) ?? "not a string member"}`;
  return undefined;
}

function compileRules(paths: readonly string[]): Map<string, FieldRule> {
  const rules = new Map<string, { whole: boolean; allMembers: boolean; members: Set<string> }>();
  for (const path of paths) {
    const dot = path.indexOf(".");
    const field = dot < 0 ? path : path.slice(0, dot);
    let rule = rules.get(field);
    if (rule === undefined) {
      rule = { whole: false, allMembers: false, members: new Set() };
      rules.set(field, rule);
    }
    if (dot < 0) rule.whole = true;
    else if (path.slice(dot + 1) === "*") rule.allMembers = true;
    else rule.members.add(path.slice(dot + 1));
  }
  return rules;
}

function redactMembers(value: Readonly<Record<string, unknown>>, rule: FieldRule): Readonly<Record<string, unknown>> {
  // fromEntries defines own properties, so a "__proto__" member stays an ordinary key.
  return Object.freeze(
    Object.fromEntries(Object.entries(value).map(([key, v]) => [key, rule.allMembers || rule.members.has(key) ? REDACTED : v])),
  );
}

/**
 * The transformation the options ask for, or undefined when the event is
 * stored as it is. Paths must have passed {@link redactPathProblem}.
 */
export function compileRedaction(paths: readonly string[], level: PrivacyLevel): ((event: TelemetryEvent) => TelemetryEvent) | undefined {
  if (paths.length === 0 && level === "full") return undefined;
  const kept = KEPT_BY_LEVEL[level];
  const rules = compileRules(paths);
  return (event) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event)) {
      if (!kept.has(key)) continue;
      const rule = rules.get(key);
      if (rule === undefined) out[key] = value;
      else if (rule.whole) out[key] = REDACTED;
      else out[key] = redactMembers(value as Readonly<Record<string, unknown>>, rule);
    }
    return Object.freeze(out) as TelemetryEvent;
  };
}
