// Turns zod issues into our own `{ path, message }` list. zod/mini ships no
// message locale (it would triple the bundle), so messages are written here.
import type * as z from "zod/mini";
import type { ValidationIssue } from "./errors.js";

type ZodIssue = z.core.$ZodIssue;

function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function message(issue: ZodIssue, input: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}, received ${describe(input)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, received ${JSON.stringify(input)}`;
    case "invalid_format":
      if (issue.format === "datetime") return `expected an ISO 8601 date-time with an offset (Z or ±hh:mm), received ${JSON.stringify(input)}`;
      // A pattern of our own (the year range) carries its own message.
      return issue.format === "regex" ? `${issue.message}, received ${JSON.stringify(input)}` : `expected format ${issue.format}`;
    case "too_small":
      return issue.origin === "string" ? "must not be empty" : `must be >= ${String(issue.minimum)}, received ${String(input)}`;
    case "too_big":
      return `must be <= ${String(issue.maximum)}`;
    case "invalid_union":
      return `expected string, number, boolean or null, received ${describe(input)}`;
    default:
      return issue.message;
  }
}

/** Resolves the value at `path` inside `root`, for messages that quote what was received. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function toValidationIssues(zodIssues: readonly ZodIssue[], input: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of zodIssues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const suggestion = snakeCase(key);
        const hint = suggestion !== key ? ` (did you mean "${suggestion}"?)` : "";
        issues.push({ path: joinPath([...issue.path, key]), message: `unknown field${hint}` });
      }
      continue;
    }
    if (issue.code === "invalid_type" && issue.path.length === 0) {
      issues.push({ path: "", message: `expected an event object, received ${describe(input)}` });
      continue;
    }
    issues.push({ path: joinPath(issue.path), message: message(issue, valueAt(input, issue.path)) });
  }
  return issues;
}
