// How an error message shows a value it refused: short, unambiguous, never
// the whole of a long string. Shared by every package that validates options
// or records, so they all word it the same way.

/** `"text"` (JSON-quoted, cut at 40 characters), numbers, booleans, `null` and `undefined` as written, else the type (`object`, `array`, `function`). */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "array";
  return typeof value;
}
