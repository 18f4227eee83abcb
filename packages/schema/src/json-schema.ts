// JSON Schema 2020-12 for one stored event, generated from the zod schema so
// the two can never disagree. The same document ships as event.schema.json.
import * as z from "zod/mini";
import { eventSchema } from "./event-schema.js";

export const eventJsonSchema: Readonly<Record<string, unknown>> = /* @__PURE__ */ buildEventJsonSchema();

function buildEventJsonSchema(): Readonly<Record<string, unknown>> {
  return {
    ...z.toJSONSchema(eventSchema, { target: "draft-2020-12", io: "output" }),
    $id: "https://telemetry.dev/schemas/event.schema.json",
    title: "TelemetryEvent",
    description: "One line of a @telemetry JSONL event log.",
  };
}
