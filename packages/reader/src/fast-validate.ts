// A fast path in front of the schema's zod validator. zod costs about 2 µs per
// event, more than JSON.parse; this predicate is compiled at load time from the
// schema's own definition (no field rule is restated here) and answers true
// only when zod would accept the value AND return a value equal to it, key order
// included. Any doubt returns false, and the caller asks zod. It can therefore
// never change what is accepted or how an event looks, only how fast.
import { eventSchema, type TelemetryEvent } from "@telemetry/schema";

interface SchemaNode {
  readonly _zod: { readonly def: Readonly<Record<string, unknown>> };
}

class Unsupported extends Error {}

function defOf(node: unknown): Readonly<Record<string, unknown>> {
  const def = (node as Partial<SchemaNode> | null)?._zod?.def;
  if (def === undefined || typeof def.type !== "string") throw new Unsupported("not a zod schema");
  return def;
}

/** The checks a def carries: its own `check` (z.int(), z.iso.datetime()) and its `checks` list. */
function checksOf(def: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>[] {
  const list: Readonly<Record<string, unknown>>[] = [];
  if (typeof def.check === "string") list.push(def);
  for (const check of (def.checks as unknown[] | undefined) ?? []) {
    const checkDef = (check as Partial<SchemaNode> | null)?._zod?.def;
    if (checkDef === undefined || typeof checkDef.check !== "string") throw new Unsupported("not a zod check");
    list.push(checkDef);
  }
  return list;
}

// The compiled form: plain nodes walked by one interpreter (a switch is far
// cheaper than a megamorphic call per field).
const enum Kind {
  String,
  Number,
  Boolean,
  Null,
  Enum,
  Optional,
  Union,
  Record,
  Object,
}

interface StringNode {
  readonly kind: Kind.String;
  readonly minLength: number;
  readonly pattern: RegExp | undefined;
}
interface NumberNode {
  readonly kind: Kind.Number;
  readonly safeInt: boolean;
  readonly min: number;
  readonly minInclusive: boolean;
  readonly max: number;
  readonly maxInclusive: boolean;
}
interface ObjectNode {
  readonly kind: Kind.Object;
  readonly keys: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly fields: readonly Node[];
  readonly optional: readonly boolean[];
  readonly required: number;
  readonly keepsUnknown: boolean;
}
type Node =
  | StringNode
  | NumberNode
  | { readonly kind: Kind.Boolean | Kind.Null }
  | { readonly kind: Kind.Enum; readonly values: ReadonlySet<unknown> }
  | { readonly kind: Kind.Optional; readonly inner: Node }
  | { readonly kind: Kind.Union; readonly options: readonly Node[] }
  | { readonly kind: Kind.Record; readonly value: Node }
  | ObjectNode;

function compileString(def: Readonly<Record<string, unknown>>): StringNode {
  let minLength = 0;
  let pattern: RegExp | undefined;
  for (const check of checksOf(def)) {
    if (check.check === "min_length") {
      minLength = Math.max(minLength, check.minimum as number);
    } else if (check.check === "string_format" && check.when === undefined && pattern === undefined) {
      const p = check.pattern;
      if (!(p instanceof RegExp) || p.global || p.sticky) throw new Unsupported("format without a plain pattern");
      pattern = p;
    } else {
      throw new Unsupported(`string check ${String(check.check)}`);
    }
  }
  return { kind: Kind.String, minLength, pattern };
}

function compileNumber(def: Readonly<Record<string, unknown>>): NumberNode {
  const node = { kind: Kind.Number as const, safeInt: false, min: -Infinity, minInclusive: true, max: Infinity, maxInclusive: true };
  for (const check of checksOf(def)) {
    if (check.when !== undefined) throw new Unsupported("conditional number check");
    if (check.check === "number_format" && check.format === "safeint") {
      node.safeInt = true;
    } else if (check.check === "greater_than" && node.min === -Infinity) {
      node.min = check.value as number;
      node.minInclusive = check.inclusive === true;
    } else if (check.check === "less_than" && node.max === Infinity) {
      node.max = check.value as number;
      node.maxInclusive = check.inclusive === true;
    } else {
      throw new Unsupported(`number check ${String(check.check)}`);
    }
  }
  return node;
}

function noChecks(def: Readonly<Record<string, unknown>>): void {
  if (checksOf(def).length > 0) throw new Unsupported(`checks on ${String(def.type)}`);
}

function compile(schema: unknown): Node {
  const def = defOf(schema);
  if (def.coerce === true) throw new Unsupported("coercion");
  switch (def.type) {
    case "string":
      return compileString(def);
    case "number":
      return compileNumber(def);
    case "boolean":
      noChecks(def);
      return { kind: Kind.Boolean };
    case "null":
      noChecks(def);
      return { kind: Kind.Null };
    case "enum":
      noChecks(def);
      return { kind: Kind.Enum, values: new Set(Object.values(def.entries as Record<string, unknown>)) };
    case "optional":
      noChecks(def);
      return { kind: Kind.Optional, inner: compile(def.innerType) };
    case "union": {
      noChecks(def);
      // Only scalar options: zod returns the first match's output, which for scalars is the input.
      const options = (def.options as unknown[]).map(compile);
      if (options.some((o) => o.kind !== Kind.String && o.kind !== Kind.Number && o.kind !== Kind.Boolean && o.kind !== Kind.Null)) {
        throw new Unsupported("non-scalar union");
      }
      return { kind: Kind.Union, options };
    }
    case "record": {
      noChecks(def);
      const keyDef = defOf(def.keyType);
      if (keyDef.type !== "string" || checksOf(keyDef).length > 0) throw new Unsupported("record key schema");
      return { kind: Kind.Record, value: compile(def.valueType) };
    }
    case "object": {
      noChecks(def);
      const shape = def.shape as Record<string, unknown>;
      const keys = Object.keys(shape);
      const fields = keys.map((key) => compile(shape[key]));
      const optional = fields.map((f) => f.kind === Kind.Optional);
      const catchall = def.catchall === undefined ? undefined : String(defOf(def.catchall).type);
      // Loose objects keep unknown keys as they are; strict ones reject them; plain ones strip them (a change).
      if (catchall !== undefined && catchall !== "unknown" && catchall !== "never") throw new Unsupported(`catchall ${catchall}`);
      return {
        kind: Kind.Object,
        keys,
        index: new Map(keys.map((key, i) => [key, i])),
        fields,
        optional,
        required: optional.filter((o) => !o).length,
        keepsUnknown: catchall === "unknown",
      };
    }
    default:
      throw new Unsupported(`type ${String(def.type)}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// zod copies objects key by key; such keys could make its copy differ from the input.
function isAwkwardKey(key: string): boolean {
  return key === "__proto__" || /^(?:0|[1-9]\d*)$/.test(key);
}

function checkObject(node: ObjectNode, v: Record<string, unknown>): boolean {
  const { keys, fields, optional } = node;
  const count = keys.length;
  let j = 0;
  let seenRequired = 0;
  let unknownSeen = false;
  // A merge walk of the value's keys against the shape's (JSON.parse interns
  // keys, so these are pointer comparisons). zod writes known keys in shape
  // order, then unknown ones: any other order would make its copy differ.
  for (const key in v) {
    if (!unknownSeen) {
      while (j < count && keys[j] !== key) j++;
      if (j < count) {
        if (!check(fields[j]!, v[key])) return false;
        if (!optional[j]) seenRequired++;
        j++;
        continue;
      }
      unknownSeen = true;
    }
    if (!node.keepsUnknown || node.index.has(key) || isAwkwardKey(key)) return false;
  }
  return seenRequired === node.required;
}

function check(node: Node, v: unknown): boolean {
  switch (node.kind) {
    case Kind.String:
      return typeof v === "string" && v.length >= node.minLength && (node.pattern === undefined || node.pattern.test(v));
    case Kind.Number:
      if (typeof v !== "number" || !Number.isFinite(v)) return false;
      if (node.safeInt && !Number.isSafeInteger(v)) return false;
      if (node.minInclusive ? v < node.min : v <= node.min) return false;
      return node.maxInclusive ? v <= node.max : v < node.max;
    case Kind.Boolean:
      return typeof v === "boolean";
    case Kind.Null:
      return v === null;
    case Kind.Enum:
      return node.values.has(v);
    case Kind.Optional:
      return v === undefined || check(node.inner, v);
    case Kind.Union:
      for (const option of node.options) if (check(option, v)) return true;
      return false;
    case Kind.Record:
      if (!isPlainObject(v)) return false;
      for (const key in v) if (key === "__proto__" || !check(node.value, v[key])) return false;
      return true;
    case Kind.Object:
      return isPlainObject(v) && checkObject(node, v);
  }
}

function compileEventCheck(): Node | undefined {
  try {
    return compile(eventSchema);
  } catch (error) {
    // A schema feature this compiler does not know: every value goes to zod.
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

const compiled = compileEventCheck();

/**
 * True only when `value` is an event zod would accept unchanged; false means
 * "ask zod" (it may still be valid).
 */
export function fastValidate(value: unknown): value is TelemetryEvent {
  return compiled !== undefined && check(compiled, value);
}

/** Whether the fast path could be compiled from the current schema (tests assert it is in use). */
export const FAST_VALIDATION_ENABLED: boolean = compiled !== undefined;
