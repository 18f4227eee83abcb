// Limits on the shape of a decoded event that JSON allows but other code
// cannot take: a "__proto__" key (JavaScript objects treat it as the
// prototype, so a copy drops it or sets a prototype) and unknown fields nested
// so deep that a recursive consumer (JSON.stringify, a CLI's --json, another
// language's decoder) overflows its stack. Checked level by level, without
// recursion, so a 100,000-deep value is refused cheaply.
import { EVENT_FIELDS } from "./event-schema.js";
import type { ValidationIssue } from "./errors.js";

/** Arrays and objects nested inside one unknown field, at most. */
export const MAX_UNKNOWN_FIELD_DEPTH = 64;

/** Never accepted as a key, at any level. */
export const FORBIDDEN_KEY = "__proto__";

const KNOWN_FIELDS: ReadonlySet<string> = new Set(EVENT_FIELDS);

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null;

const forbidden = (path: string): ValidationIssue => ({ path, message: `"${FORBIDDEN_KEY}" is not allowed as a key` });

/** The problem of one unknown field's value: too deep, or a "__proto__" key inside. */
export function unknownFieldIssue(field: string, value: unknown): ValidationIssue | undefined {
  let level = [value];
  for (let depth = 0; level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (!isNode(node)) continue;
      if (depth === MAX_UNKNOWN_FIELD_DEPTH) return { path: field, message: `nested more than ${MAX_UNKNOWN_FIELD_DEPTH} levels deep` };
      for (const key of Object.keys(node)) {
        if (key === FORBIDDEN_KEY) return forbidden(`${field}.(nested).${key}`);
        next.push(node[key]);
      }
    }
    level = next;
  }
  return undefined;
}

/**
 * The first structural problem of a decoded event, or undefined: a
 * `"__proto__"` key at its top level or in `attributes`, `log_paths` or
 * `metrics`, or an unknown field that {@link unknownFieldIssue} refuses.
 */
export function structureIssue(value: unknown): ValidationIssue | undefined {
  if (!isNode(value)) return undefined;
  for (const key of Object.keys(value)) {
    const field = value[key];
    const issue =
      key === FORBIDDEN_KEY
        ? forbidden(key)
        : !KNOWN_FIELDS.has(key)
          ? unknownFieldIssue(key, field)
          : isNode(field) && Object.hasOwn(field, FORBIDDEN_KEY)
            ? forbidden(`${key}.${FORBIDDEN_KEY}`)
            : undefined;
    if (issue !== undefined) return issue;
  }
  return undefined;
}
