// A minimal Server-Sent Events client over node:http for tests and
// benchmarks: messages with their id, the Last-Event-ID header to resume,
// and the raw status for refusals (401, 503).
import { request, type IncomingHttpHeaders } from "node:http";

export interface SseMessage {
  readonly id: string | undefined;
  readonly data: string;
}

export interface SseConnection {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every message with data, in order. */
  readonly messages: SseMessage[];
  /** The last id seen (also from id-only messages), as EventSource keeps it. */
  readonly lastEventId: string | undefined;
  /** Comment lines seen (heartbeats). */
  readonly comments: number;
  /** Resolves once `count` data messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export function connectSse(url: string, options: { lastEventId?: string; headers?: Record<string, string>; onMessage?: (message: SseMessage) => void } = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: "text/event-stream", ...options.headers };
    if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
    const req = request(url, { headers }, (res) => {
      res.setEncoding("utf8");
      const messages: SseMessage[] = [];
      let lastEventId: string | undefined;
      let comments = 0;
      let buffer = "";
      let id: string | undefined;
      let data: string[] = [];
      const waiters: { count: number; resolve: () => void }[] = [];
      let endResolve: () => void = () => undefined;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.on("data", (chunk: string) => {
        buffer += chunk;
        // One pass over the buffer; the unfinished tail is kept once (slicing per line would be quadratic in a large chunk).
        let start = 0;
        let newline: number;
        while ((newline = buffer.indexOf("\n", start)) !== -1) {
          const line = buffer.charCodeAt(newline - 1) === 13 ? buffer.slice(start, newline - 1) : buffer.slice(start, newline);
          start = newline + 1;
          if (line === "") {
            if (id !== undefined) lastEventId = id;
            if (data.length > 0) {
              const message = { id, data: data.join("\n") };
              messages.push(message);
              options.onMessage?.(message);
              for (const waiter of [...waiters]) {
                if (messages.length >= waiter.count) {
                  waiters.splice(waiters.indexOf(waiter), 1);
                  waiter.resolve();
                }
              }
            }
            id = undefined;
            data = [];
          } else if (line.startsWith(":")) comments++;
          else if (line.startsWith("id:")) id = line.slice(3).trimStart();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        buffer = buffer.slice(start);
      });
      res.on("end", () => endResolve());
      res.on("close", () => endResolve());
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages,
        get lastEventId() {
          return lastEventId;
        },
        get comments() {
          return comments;
        },
        waitFor(count, timeoutMs = 15_000) {
          if (messages.length >= count) return Promise.resolve();
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`waited ${timeoutMs} ms for ${count} SSE messages, got ${messages.length}`)), timeoutMs);
            waiters.push({ count, resolve: () => (clearTimeout(timer), ok()) });
          });
        },
        ended,
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end();
  });
}
