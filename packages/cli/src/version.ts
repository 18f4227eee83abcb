// `telemetry --version`: the version of this package, read from its own
// package.json so it can never drift from what was published.
import { readFileSync } from "node:fs";

/** Reads `version` from the package.json one level above `src/` or `dist/`. */
export function readCliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
