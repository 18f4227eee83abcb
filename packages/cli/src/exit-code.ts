// The process exit codes, documented in the README; scripts rely on them.

export const ExitCode = {
  /** The command did what was asked (for `verify`: the log is clean). */
  OK: 0,
  /** The command ran and found problems (`verify`: invalid lines). */
  PROBLEMS: 1,
  /** The command could not run as asked: bad flag, bad value, missing or unreadable file. */
  USAGE: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
