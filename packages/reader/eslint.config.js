import { browserSafe, config } from "@telemetry/eslint-config";

// Only the chunk parser (the ./parser entry) must run in browsers.
export default [...config, ...browserSafe.map((c) => ({ ...c, files: ["src/parser.ts", "src/chunk-parser.ts", "src/parse-line.ts", "src/parse-text.ts", "src/invalid-line.ts"] }))];
