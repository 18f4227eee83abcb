// Pipelined JetStream publishing: every publish goes out with a reply subject
// under one inbox subscription, and acknowledgements are matched by that
// subject. The client's own js.publish() makes a request per message (a
// subscription entry and a timer each), which measured 4x slower here; one
// inbox and one timeout sweep keep the window cheap.
import { createInbox, headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from "@nats-io/transport-node";

/** A publish JetStream refused (`code` is its `err_code`, e.g. 10071 wrong last sequence). */
export class PublishRejectedError extends Error {
  readonly code: number;
  readonly status: number;

  constructor(subject: string, status: number, code: number, description: string) {
    super(`JetStream refused a message on ${subject}: ${description} (status ${status}, err_code ${code})`);
    this.name = "PublishRejectedError";
    this.code = code;
    this.status = status;
  }
}

/** No acknowledgement within the timeout: the message may or may not be stored. */
export class PublishTimeoutError extends Error {
  readonly code = "PUBLISH_TIMEOUT" as const;

  constructor(subject: string, timeoutMs: number) {
    super(`no JetStream acknowledgement on ${subject} within ${timeoutMs} ms`);
    this.name = "PublishTimeoutError";
  }
}

/** What JetStream acknowledged: where the message is stored, or that it was a duplicate of the message at `seq`. */
export interface StoredAck {
  readonly seq: number;
  readonly duplicate: boolean;
}

interface Pending {
  readonly subject: string;
  readonly deadline: number;
  resolve(ack: StoredAck): void;
  reject(error: Error): void;
}

interface AckBody {
  seq?: number;
  duplicate?: boolean;
  error?: { code?: number; err_code?: number; description?: string };
}

export interface PublishHeaders {
  readonly msgId: string;
  readonly expectLastSubjectSequence?: number;
  readonly extra: readonly (readonly [string, string])[];
}

const decoder = new TextDecoder();

export class AckPipeline {
  readonly #nc: NatsConnection;
  readonly #prefix = createInbox();
  readonly #subscription: Subscription;
  readonly #pending = new Map<number, Pending>();
  readonly #timeoutMs: number;
  readonly #sweep: NodeJS.Timeout;
  #next = 0;

  constructor(nc: NatsConnection, timeoutMs: number) {
    this.#nc = nc;
    this.#timeoutMs = timeoutMs;
    this.#subscription = nc.subscribe(`${this.#prefix}.*`, { callback: (_error, msg) => this.#settle(msg) });
    this.#sweep = setInterval(() => this.#expire(), Math.max(50, Math.min(1_000, timeoutMs / 4)));
  }

  publish(subject: string, data: Uint8Array, options: PublishHeaders): Promise<StoredAck> {
    const id = this.#next++;
    const h: MsgHdrs = natsHeaders();
    h.set("Nats-Msg-Id", options.msgId);
    if (options.expectLastSubjectSequence !== undefined) h.set("Nats-Expected-Last-Subject-Sequence", String(options.expectLastSubjectSequence));
    for (const [name, value] of options.extra) h.set(name, value);
    const ack = new Promise<StoredAck>((resolve, reject) => {
      this.#pending.set(id, { subject, deadline: Date.now() + this.#timeoutMs, resolve, reject });
    });
    try {
      this.#nc.publish(subject, data, { reply: `${this.#prefix}.${id}`, headers: h });
    } catch (error) {
      this.#pending.delete(id);
      return Promise.reject(error instanceof Error ? error : new Error("publish failed", { cause: error }));
    }
    return ack;
  }

  #settle(msg: Msg): void {
    const id = Number(msg.subject.slice(this.#prefix.length + 1));
    const pending = this.#pending.get(id);
    if (pending === undefined) return; // Expired already: the caller has moved on.
    this.#pending.delete(id);
    // A status reply without a body: 503 = no stream listens on the subject.
    if (msg.data.length === 0) {
      const status = msg.headers?.code ?? 0;
      const description = msg.headers?.description ?? "";
      const reason = description !== "" ? description : status === 503 ? "no responders (no stream captures the subject)" : "empty reply";
      pending.reject(new PublishRejectedError(pending.subject, status, 0, reason));
      return;
    }
    let body: AckBody;
    try {
      body = JSON.parse(decoder.decode(msg.data)) as AckBody;
    } catch {
      pending.reject(new PublishRejectedError(pending.subject, 0, 0, "unreadable acknowledgement"));
      return;
    }
    if (body.error !== undefined) {
      pending.reject(new PublishRejectedError(pending.subject, body.error.code ?? 0, body.error.err_code ?? 0, body.error.description ?? "error"));
      return;
    }
    pending.resolve({ seq: body.seq ?? 0, duplicate: body.duplicate === true });
  }

  #expire(): void {
    const now = Date.now();
    for (const [id, pending] of this.#pending) {
      // Insertion order is deadline order: stop at the first one still in time.
      if (pending.deadline > now) break;
      this.#pending.delete(id);
      pending.reject(new PublishTimeoutError(pending.subject, this.#timeoutMs));
    }
  }

  close(): void {
    clearInterval(this.#sweep);
    this.#subscription.unsubscribe();
    for (const pending of this.#pending.values()) pending.reject(new Error("publisher closed"));
    this.#pending.clear();
  }
}
