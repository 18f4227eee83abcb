// JSON Schema 2020-12 for one stored event, generated from the zod schema so
// the two can never disagree, plus the structural rules zod checks outside
// its schema (see structure-limits.ts). The same document ships as event.schema.json.
import * as z from "zod/mini";
import { eventSchema } from "./event-schema.js";
import { FORBIDDEN_KEY, MAX_UNKNOWN_FIELD_DEPTH } from "./structure-limits.js";
import { TIMESTAMP_PATTERN } from "./timestamp.js";

const NO_PROTO_KEY = { not: { const: FORBIDDEN_KEY } };

export const eventJsonSchema: Readonly<Record<string, unknown>> = /* @__PURE__ */ buildEventJsonSchema();

function buildEventJsonSchema(): Readonly<Record<string, unknown>> {
  const generated = z.toJSONSchema(eventSchema, { target: "draft-2020-12", io: "output" }) as Record<string, unknown> & {
    properties: Record<string, Record<string, unknown>>;
  };
  const properties = { ...generated.properties };
  // One pattern (date-time and years 0001-9999) rather than zod's allOf of two.
  properties.ts = { type: "string", format: "date-time", pattern: TIMESTAMP_PATTERN.source };
  for (const field of ["log_paths", "metrics", "attributes"]) {
    const schema = properties[field];
    if (schema !== undefined) properties[field] = { ...schema, propertyNames: NO_PROTO_KEY };
  }
  return {
    ...generated,
    properties,
    propertyNames: NO_PROTO_KEY,
    $id: "https://telemetry.dev/schemas/event.schema.json",
    title: "TelemetryEvent",
    description: "One line of a @telemetry JSONL event log.",
    $comment: `Also enforced by @telemetry/schema and not expressible here: an unknown field's value nests at most ${MAX_UNKNOWN_FIELD_DEPTH} levels of arrays and objects, and no object at any depth has a "${FORBIDDEN_KEY}" key.`,
  };
}
