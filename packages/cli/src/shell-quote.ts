// Quotes an argument for the commands we print for people to paste.

const SAFE = /^[\w@%+=:,./-]+$/;

/** `logs/a b.jsonl` -> `'logs/a b.jsonl'`; safe words are left bare. */
export function shellQuote(arg: string): string {
  if (arg !== "" && SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
