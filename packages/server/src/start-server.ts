// `startTelemetryServer`: node:http, read-only. Loopback by default, a token
// anywhere else, GET/HEAD only, the built page from a fixed file list, the
// JSON API from the hub's live aggregates, and a bounded number of streams.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { webRoot } from "@telemetry/web";
import type { RunStatus } from "@telemetry/web";
import { costsBody, parseCostKeys, runDetailBody, runsPage, RUN_STATUSES } from "./api-views.js";
import { BadRequestError, InvalidPositionTokenError, ServerOptionError } from "./errors.js";
import { eventMatcherFromParams, integerParam } from "./event-filter-params.js";
import type { SourceList } from "./event-source.js";
import { streamEvents } from "./stream-events.js";
import { LiveHub } from "./live-hub.js";
import { decodePositionToken } from "./position-token.js";
import { hostHeaderIsLoopback, isLoopbackHost, presentedToken, tokenMatches, TOKEN_COOKIE } from "./request-auth.js";
import { loadStaticFiles, type StaticFile } from "./static-files.js";
import { StreamSession } from "./stream-session.js";

export interface TelemetryServerOptions {
  readonly sources: SourceList;
  /** Address to bind. Default `127.0.0.1`. Any non-loopback address requires a token. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 7318. */
  readonly port?: number;
  /** Required on every request when set; generated when the host is not loopback and none is given. */
  readonly token?: string;
  /** Directory of the built page. Default: the `dist` of `@telemetry/web`. */
  readonly staticDir?: string;
  /** Concurrent `/api/stream` clients; one more gets 503. Default 100. */
  readonly maxStreamClients?: number;
  /** SSE heartbeat period. Default 15,000 ms. */
  readonly heartbeatMs?: number;
  /** A stream client with this many bytes unsent is disconnected (it resumes from its last id). Default 8 MiB. */
  readonly maxQueuedBytes?: number;
  readonly pollIntervalMs?: number;
  readonly discoverIntervalMs?: number;
  readonly replayCapacity?: number;
  /** Errors while reading a source (the server keeps serving and retries). Default: ignored. */
  readonly onError?: (error: unknown, context: string) => void;
}

export interface TelemetryServer {
  /** `http://host:port/`, with `?token=` when a token is required: open it in a browser. */
  readonly url: string;
  readonly port: number;
  readonly token: string | undefined;
  readonly hub: LiveHub;
  close(): Promise<void>;
}

/** No inline script or style, nothing from elsewhere: text from events can never run. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-resource-policy": "same-origin",
} as const;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, head: boolean, status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(head ? undefined : body);
}

export async function startTelemetryServer(options: TelemetryServerOptions): Promise<TelemetryServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopbackHost(host);
  if (options.token !== undefined && options.token.length < 8) throw new ServerOptionError("token", "must be at least 8 characters");
  const token = options.token ?? (loopback ? undefined : randomBytes(24).toString("base64url"));
  const maxStreams = options.maxStreamClients ?? 100;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
  const files = await loadStaticFiles(options.staticDir ?? webRoot);
  if (!files.has("/index.html")) throw new ServerOptionError("staticDir", `no index.html in ${options.staticDir ?? webRoot} (build @telemetry/web first)`);

  const hub = new LiveHub({
    sources: options.sources,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    ...(options.discoverIntervalMs === undefined ? {} : { discoverIntervalMs: options.discoverIntervalMs }),
    ...(options.replayCapacity === undefined ? {} : { replayCapacity: options.replayCapacity }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  await hub.start();

  const streams = new Set<StreamSession>();
  const openResponses = new Set<ServerResponse>();

  function authorize(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (token === undefined) {
      if (!hostHeaderIsLoopback(req)) throw new HttpError(403, "HOST_NOT_ALLOWED", "this server answers only requests addressed to a loopback name (DNS rebinding protection)");
      return;
    }
    const presented = presentedToken(req, url);
    if (!tokenMatches(presented.token, token)) {
      throw new HttpError(401, "UNAUTHORIZED", "a valid token is required: open the URL the server printed, or send Authorization: Bearer <token>", { "www-authenticate": 'Bearer realm="telemetry"' });
    }
    // The page's own requests (assets, API, EventSource) then carry the cookie.
    if (presented.fromQuery) res.setHeader("set-cookie", `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
  }

  function serveStatic(res: ServerResponse, head: boolean, pathname: string): void {
    const file: StaticFile | undefined = files.get(pathname === "/" ? "/index.html" : pathname);
    if (file === undefined) throw new HttpError(404, "NOT_FOUND", `no such file: ${pathname}`);
    res.writeHead(200, {
      "content-type": file.type,
      "content-length": file.body.length,
      "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
    res.end(head ? undefined : file.body);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method ?? "?"} is not allowed: this server is read-only`, { allow: "GET, HEAD" });
    const head = req.method === "HEAD";
    const target = req.url ?? "/";
    let url: URL;
    try {
      url = new URL(target, "http://server.invalid");
    } catch {
      throw new HttpError(400, "BAD_REQUEST", "unparseable request target");
    }
    authorize(req, res, url);
    // Dot segments (also percent-encoded) never name a file of the page; URL() would silently resolve them.
    if (!target.startsWith("/") || target.startsWith("//") || /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(`${target.split("?")[0]!}/`)) {
      throw new HttpError(404, "NOT_FOUND", "no such file");
    }
    const path = url.pathname;
    const params = url.searchParams;
    if (!path.startsWith("/api/")) return serveStatic(res, head, path);

    if (path === "/api/runs") {
      for (const name of params.keys()) {
        if (!["limit", "offset", "q", "status", "token"].includes(name)) throw new BadRequestError(name, "unknown parameter (known: limit, offset, q, status)");
      }
      const status = params.get("status");
      if (status !== null && status !== "" && !(RUN_STATUSES as readonly string[]).includes(status)) {
        throw new BadRequestError("status", `expected one of ${RUN_STATUSES.join(", ")}`);
      }
      const body = runsPage(hub, {
        limit: integerParam(params, "limit", { min: 1, max: 1_000, fallback: 50 }),
        offset: integerParam(params, "offset", { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 }),
        q: params.get("q") ?? undefined,
        status: status === null || status === "" ? undefined : (status as RunStatus),
      });
      return sendJson(res, head, 200, JSON.stringify(body));
    }
    if (path.startsWith("/api/runs/")) {
      let runId: string;
      try {
        runId = decodeURIComponent(path.slice("/api/runs/".length));
      } catch {
        throw new BadRequestError("run_id", "bad percent-encoding");
      }
      const body = runDetailBody(hub, runId);
      if (body === undefined) throw new HttpError(404, "RUN_NOT_FOUND", `no run ${JSON.stringify(runId)}`);
      return sendJson(res, head, 200, body);
    }
    if (path === "/api/costs") {
      for (const name of params.keys()) if (name !== "by" && name !== "token") throw new BadRequestError(name, "unknown parameter (known: by)");
      return sendJson(res, head, 200, JSON.stringify(costsBody(hub, parseCostKeys(params.get("by")))));
    }
    if (path === "/api/events") {
      const matches = eventMatcherFromParams(params, ["limit"]);
      const limit = integerParam(params, "limit", { min: 1, max: Number.MAX_SAFE_INTEGER, fallback: Number.MAX_SAFE_INTEGER });
      res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" });
      if (head) return void res.end();
      return streamEvents({ hub, response: res, matches, limit });
    }
    if (path === "/api/stream") {
      const matches = eventMatcherFromParams(params, ["from"]);
      const lastEventId = req.headers["last-event-id"];
      const fromParam = typeof lastEventId === "string" && lastEventId !== "" ? lastEventId : (params.get("from") ?? "end");
      let from: "start" | "end" | Map<string, unknown>;
      try {
        from = fromParam === "start" || fromParam === "end" ? fromParam : decodePositionToken(fromParam);
      } catch (error) {
        if (error instanceof InvalidPositionTokenError) throw new BadRequestError("from", error.message);
        throw error;
      }
      if (streams.size >= maxStreams) throw new HttpError(503, "TOO_MANY_STREAMS", `at most ${maxStreams} stream clients at once; try again later`, { "retry-after": "5" });
      if (head) {
        res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store" });
        return void res.end();
      }
      const session = new StreamSession({ hub, response: res, from, matches, heartbeatMs, maxQueuedBytes, ...(options.onError === undefined ? {} : { onError: options.onError }) });
      streams.add(session);
      void session.done.then(() => streams.delete(session));
      return session.run();
    }
    throw new HttpError(404, "NOT_FOUND", `no such API route: ${path}`);
  }

  const server = createServer((req, res) => {
    openResponses.add(res);
    res.once("close", () => openResponses.delete(res));
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        options.onError?.(error, `${req.method} ${req.url}`);
        res.destroy();
        return;
      }
      const e =
        error instanceof HttpError ? error
        : error instanceof BadRequestError ? new HttpError(400, error.code, error.message)
        : new HttpError(500, "INTERNAL", error instanceof Error ? error.message : String(error));
      if (e.status === 500) options.onError?.(error, `${req.method} ${req.url}`);
      sendJson(res, req.method === "HEAD", e.status, JSON.stringify({ error: { code: e.code, message: e.message } }), e.headers);
    });
  });
  // Streams are long-lived by design; everything else is quick.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 7318, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token === undefined ? "" : `?token=${encodeURIComponent(token)}`}`;
  return {
    url,
    port,
    token,
    hub,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of openResponses) res.destroy();
      server.closeAllConnections();
      await closed;
      await hub.close();
    },
  };
}
