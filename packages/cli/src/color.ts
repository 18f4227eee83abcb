// When to color output. Policy (README "Colors"): colors only when writing
// to a terminal, and never with NO_COLOR (https://no-color.org) or --no-color.
import picocolors from "picocolors";
import type { OutputStream } from "./cli-io.js";

export type Colors = ReturnType<typeof picocolors.createColors>;

export interface ColorDecision {
  readonly stream: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--color` forces colors on a pipe; `--no-color` turns them off; both absent: decide by the stream. */
  readonly flag: "auto" | "always" | "never";
}

/** NO_COLOR wins over everything, including `--color`: a user who set it never wants escapes. */
export function shouldUseColor({ stream, env, flag }: ColorDecision): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (flag === "never") return false;
  if (flag === "always") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/**
 * Picocolors' own default also turns colors on when `CI` or `FORCE_COLOR` is
 * set, which would put escapes into piped output; we decide ourselves.
 */
export function createColors(decision: ColorDecision): Colors {
  return picocolors.createColors(shouldUseColor(decision));
}

/** The `--color`/`--no-color` pair as one setting. */
export function colorFlag(values: { color?: boolean | undefined; "no-color"?: boolean | undefined }): ColorDecision["flag"] {
  if (values["no-color"] === true) return "never";
  if (values.color === true) return "always";
  return "auto";
}
