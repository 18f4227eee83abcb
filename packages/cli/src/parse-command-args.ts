// Strict argument parsing for every command on node:util.parseArgs, with
// its errors rewritten as the one-line messages users see.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliUsageError } from "./cli-error.js";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** What parseArgs returns for a strict config with positionals and these options. */
export type ParsedCommandArgs<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

interface ParseArgsError extends Error {
  code: string;
}

function isParseArgsError(error: unknown): error is ParseArgsError {
  return error instanceof Error && typeof (error as Partial<ParseArgsError>).code === "string" && (error as ParseArgsError).code.startsWith("ERR_PARSE_ARGS_");
}

/**
 * Parses `args` for `telemetry <command>` strictly: unknown options,
 * missing values and surplus positionals are CliUsageErrors that name the
 * offending argument and point at `--help`.
 */
export function parseCommandArgs<const O extends OptionsConfig>(
  command: string,
  args: readonly string[],
  options: O,
  positionals: { readonly min: number; readonly max: number; readonly names: string },
): ParsedCommandArgs<O> {
  const seeHelp = `(see: telemetry ${command} --help)`;
  let parsed: ParsedCommandArgs<O>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    throw new CliUsageError(`${describeParseError(error)} ${seeHelp}`);
  }
  if (parsed.positionals.length < positionals.min) {
    throw new CliUsageError(`missing ${positionals.names} ${seeHelp}`);
  }
  if (parsed.positionals.length > positionals.max) {
    const extra = parsed.positionals[positionals.max] ?? "";
    throw new CliUsageError(`unexpected argument "${extra}" ${seeHelp}`);
  }
  return parsed;
}

function describeParseError(error: ParseArgsError): string {
  const message = error.message;
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const option = /Unknown option '([^']+)'/.exec(message)?.[1];
      return option === undefined ? lowerFirst(firstSentence(message)) : `unknown option ${option}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      // "Option '-n, --lines <value>' argument missing" / "... does not take an argument"
      const option = /Option '(?:-\w, )?(--[\w-]+)/.exec(message)?.[1];
      if (option !== undefined && message.includes("argument missing")) return `option ${option} needs a value`;
      if (option !== undefined && message.includes("does not take an argument")) return `option ${option} does not take a value`;
      // "--cost -1": parseArgs cannot tell a negative value from a flag.
      if (option !== undefined && message.includes("ambiguous")) return `option ${option} needs a value; for one starting with "-" write ${option}=<value>`;
      return lowerFirst(firstSentence(message));
    }
    default:
      return lowerFirst(firstSentence(message));
  }
}

function firstSentence(text: string): string {
  return text.split("\n")[0]?.replace(/\.\s.*$/, "") ?? text;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** `--limit 20` -> 20; anything that is not a whole number >= `min` is a usage error naming the option. */
export function parseInteger(value: string, option: string, min = 1): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new CliUsageError(`invalid ${option} "${value}": expected a whole number >= ${min}`);
  }
  return n;
}

/** Like parseInteger, for amounts such as `--cost 0.0123`. */
export function parseNonNegativeNumber(value: string, option: string): number {
  const n = /^\s*\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) {
    throw new CliUsageError(`invalid ${option} "${value}": expected a number >= 0`);
  }
  return n;
}
