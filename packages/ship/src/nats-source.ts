// `nats://host:port/STREAM`: how the CLI names the fleet wherever it takes a log.
import { DEFAULT_STREAM } from "./fleet-headers.js";
import { InvalidNatsSourceError } from "./ship-errors.js";

export interface NatsSource {
  /** `nats://host:port` (credentials in the URL are kept: the client reads them). */
  readonly server: string;
  readonly stream: string;
}

export function isNatsSource(source: string): boolean {
  return /^nats:\/\//i.test(source);
}

/** Parses `nats://[user:pass@]host[:port][/STREAM]`; the stream defaults to `TELEMETRY`. */
export function parseNatsSource(source: string): NatsSource {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new InvalidNatsSourceError(source, "not a URL");
  }
  if (url.protocol !== "nats:") throw new InvalidNatsSourceError(source, `scheme ${url.protocol} is not nats:`);
  if (url.hostname === "") throw new InvalidNatsSourceError(source, "no host");
  if (url.search !== "" || url.hash !== "") throw new InvalidNatsSourceError(source, "query and fragment are not supported");
  const path = decodeURIComponent(url.pathname.replace(/^\/+/, ""));
  const stream = path === "" ? DEFAULT_STREAM : path;
  // JetStream stream names cannot hold these (they become subject tokens).
  if (/[\s.*>/\\]/.test(stream)) throw new InvalidNatsSourceError(source, `"${stream}" is not a valid stream name`);
  const auth = url.username === "" ? "" : `${url.username}${url.password === "" ? "" : `:${url.password}`}@`;
  return { server: `nats://${auth}${url.host}`, stream };
}
