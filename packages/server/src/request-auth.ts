// Who may talk to the server: on loopback anyone on this machine (with a
// Host check against DNS rebinding); elsewhere only holders of the token,
// on every route, the event stream included.
import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

export const TOKEN_COOKIE = "telemetry_token";

/** 127.0.0.0/8, ::1 and `localhost`: the addresses only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare === "localhost" || bare === "::1") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::ffff:127.0.0.1";
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function cookieToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

/** The token a request presents: `Authorization: Bearer`, `?token=`, or the cookie the page got on its first load. */
export function presentedToken(request: IncomingMessage, url: URL): { token: string | undefined; fromQuery: boolean } {
  const auth = request.headers.authorization;
  if (auth?.startsWith("Bearer ")) return { token: auth.slice(7).trim(), fromQuery: false };
  const query = url.searchParams.get("token");
  if (query !== null) return { token: query, fromQuery: true };
  return { token: cookieToken(request.headers.cookie), fromQuery: false };
}

/** Constant-time comparison (through digests, so lengths leak nothing either). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The Host header names this machine: a page from another site that rebinds its name to 127.0.0.1 is refused. */
export function hostHeaderIsLoopback(request: IncomingMessage): boolean {
  const host = request.headers.host;
  if (host === undefined) return false;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  return isLoopbackHost(name);
}
