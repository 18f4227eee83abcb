// The message layout shared by the shipper and the fleet readers: the body is
// the event's line exactly as stored in the log; headers carry the rest.
import { hostname } from "node:os";

/** JetStream's de-duplication key: the event's `event_id`. */
export const MSG_ID_HEADER = "Nats-Msg-Id";
/** JSON of the reader's checkpoint just after this event: where the shipper resumes. */
export const CHECKPOINT_HEADER = "Telemetry-Checkpoint";
/** The host that wrote the event (the subject holds a sanitized form). */
export const HOST_HEADER = "Telemetry-Host";

export const DEFAULT_STREAM = "TELEMETRY";
export const DEFAULT_SUBJECT_PREFIX = "telemetry.events";

/** A hostname as one subject token: dots, spaces and wildcards are not allowed there. */
export function subjectToken(host: string): string {
  const token = host.replace(/[^A-Za-z0-9_-]/g, "_");
  return token === "" ? "_" : token;
}

/** `telemetry.events.<hostname>`, the default subject of this host's shipper. */
export function defaultSubject(host: string = hostname()): string {
  return `${DEFAULT_SUBJECT_PREFIX}.${subjectToken(host)}`;
}
