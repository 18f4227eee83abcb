// Writes event.schema.json (shipped for services in other languages) from the
// built package, so the file is always the schema the code enforces.
import { writeFileSync } from "node:fs";
import { eventJsonSchema } from "../dist/index.js";

writeFileSync(new URL("../event.schema.json", import.meta.url), `${JSON.stringify(eventJsonSchema, null, 2)}\n`);
