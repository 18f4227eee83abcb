// Stream positions as opaque tokens (SSE `id:`): for every source, the
// checkpoint just after the last event delivered from it. A token holds
// everything needed to resume, so it survives a server restart.
import { Buffer } from "node:buffer";
import { InvalidPositionTokenError } from "./errors.js";

/** Source key -> checkpoint after the last delivered event of that source; null: none delivered, start at its first event. */
export type Position = ReadonlyMap<string, unknown>;

const VERSION = 1;

/**
 * A checkpoint as the string that indexes the replay buffer. Plain
 * JSON.stringify: a cursor builds its checkpoints with one key order, and a
 * token keeps that order through JSON.parse, so equal positions give equal
 * strings (sorting keys cost more than reading the event, on every event).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value);
}

export function encodePositionToken(position: Position): string {
  const entries = [...position].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(canonicalJson({ v: VERSION, p: entries }), "utf8").toString("base64url");
}

/**
 * Decodes a token this server (or an earlier run of it) produced.
 * @throws {InvalidPositionTokenError} for anything else.
 */
export function decodePositionToken(token: string): Map<string, unknown> {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("not base64url");
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidPositionTokenError(token, "not a token this server issued");
  }
  const record = parsed as { v?: unknown; p?: unknown } | null;
  if (typeof record !== "object" || record?.v !== VERSION || !Array.isArray(record.p)) {
    throw new InvalidPositionTokenError(token, `expected version ${VERSION} with a list of source positions`);
  }
  const position = new Map<string, unknown>();
  for (const entry of record.p as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") {
      throw new InvalidPositionTokenError(token, "a source position is not [key, checkpoint]");
    }
    position.set(entry[0], entry[1] as unknown);
  }
  return position;
}
