// The errors shipping and fleet reading report: each has a stable code and says
// what is wrong and where; none is retried, because retrying cannot fix it.

/** One field of an existing stream that differs from what the shipper needs. */
export interface StreamConfigDifference {
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

/** The stream exists with a configuration the shipper cannot rely on; nothing was published. */
export class StreamConfigMismatchError extends Error {
  readonly code = "STREAM_CONFIG_MISMATCH" as const;
  readonly stream: string;
  readonly differences: readonly StreamConfigDifference[];

  constructor(stream: string, differences: readonly StreamConfigDifference[]) {
    const list = differences.map((d) => `${d.field}: expected ${d.expected}, found ${d.actual}`).join("; ");
    super(`JetStream stream "${stream}" exists with a different configuration (${list}); nothing was published. Change the shipper's options to match, or update the stream.`);
    this.name = "StreamConfigMismatchError";
    this.stream = stream;
    this.differences = differences;
  }
}

/** An event's message is larger than the server accepts: shipping stops rather than skip it. */
export class EventTooLargeError extends Error {
  readonly code = "EVENT_TOO_LARGE" as const;

  constructor(readonly eventId: string, readonly bytes: number, readonly maxPayload: number, where: string) {
    super(`Event ${eventId} (${where}) needs a ${bytes}-byte message but the NATS server's max_payload is ${maxPayload}; raise max_payload in the server configuration`);
    this.name = "EventTooLargeError";
  }
}

/** Something else published to the shipper's subject: two shippers on one subject would interleave. */
export class SubjectConflictError extends Error {
  readonly code = "SUBJECT_CONFLICT" as const;

  constructor(readonly subject: string, readonly stream: string, cause: unknown) {
    super(`Another publisher wrote to ${subject} in stream "${stream}" while this shipper was shipping to it: give each host's shipper its own subject`, { cause });
    this.name = "SubjectConflictError";
  }
}

/** A `nats://host:port/STREAM` source that cannot be used. */
export class InvalidNatsSourceError extends Error {
  readonly code = "NATS_SOURCE_INVALID" as const;

  constructor(readonly source: string, reason: string) {
    super(`Invalid NATS source "${source}": ${reason} (expected nats://host:port/STREAM)`);
    this.name = "InvalidNatsSourceError";
  }
}

/** The fleet reader was pointed at a stream the server does not have. */
export class FleetStreamNotFoundError extends Error {
  readonly code = "STREAM_NOT_FOUND" as const;

  constructor(readonly stream: string, servers: string, cause: unknown) {
    super(`No JetStream stream "${stream}" on ${servers} (has a shipper run against it yet? see: telemetry ship --help)`, { cause });
    this.name = "FleetStreamNotFoundError";
  }
}
