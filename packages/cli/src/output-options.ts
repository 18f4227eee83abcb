// Flags every reading command shares: machine output and the color switch.
import type { CliIo } from "./cli-io.js";
import { colorFlag, createColors, type Colors } from "./color.js";

export const OUTPUT_OPTIONS = {
  json: { type: "boolean" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
} as const;

export const OUTPUT_HELP = `Output:
  --json            one JSON object per line, for programs
  --color           color even when stdout is not a terminal (NO_COLOR still wins)
  --no-color        never color (also: NO_COLOR=1)`;

/** Colors for stdout under the README's policy; always off for --json. */
export function stdoutColors(io: CliIo, values: { json?: boolean | undefined; color?: boolean | undefined; "no-color"?: boolean | undefined }): Colors {
  return createColors({ stream: io.stdout, env: io.env, flag: values.json === true ? "never" : colorFlag(values) });
}
