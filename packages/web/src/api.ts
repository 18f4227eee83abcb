// Requests to the server's HTTP API (docs/http-api.md); the bodies' types are
// in src-node/http-api.ts, shared with the server that produces them.
export type { CostsBody, RunDetail, RunsPage, RunView, TaskView } from "../src-node/http-api.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET a JSON route; the token travels as the cookie the server set when the page was opened with `?token=`. */
export async function getJson<T>(path: string, params: Readonly<Record<string, string | number | undefined>> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== "") query.set(name, String(value));
  const qs = query.toString();
  const response = await fetch(qs === "" ? path : `${path}?${qs}`, { headers: { accept: "application/json" } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message !== undefined) message = body.error.message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}
