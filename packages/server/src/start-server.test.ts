// The HTTP rules every route obeys: loopback by default, a token elsewhere,
// read-only, only the built page's files, a CSP, a bound on streams.
import { request } from "node:http";
import { connectSse } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { apiUrl, emitAll, serveForTest, taskEvents, testLog } from "./served-log.fixture.js";

/** A raw request: fetch() would normalize `..` away before it reached the server. */
function rawGet(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("telemetry server", () => {
  it("binds 127.0.0.1 by default and serves the page with a CSP that allows no inline script", async () => {
    const log = await testLog();
    await emitAll(log.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ paths: [log.path] });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.token).toBeUndefined();
    const page = await rawGet(server.port, "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    // Every script of the page is a file (no inline code for the CSP to block).
    expect(page.body).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
    expect(page.body.replace(/<script[^>]*src="[^"]+"[^>]*><\/script>/g, "")).not.toContain("<script");
  });

  it("answers 405 to anything but GET and HEAD, on every route", async () => {
    const log = await testLog();
    await emitAll(log.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ paths: [log.path] });
    for (const path of ["/", "/api/runs", "/api/stream", "/api/events"]) {
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const response = await rawGet(server.port, path, { method });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.allow).toBe("GET, HEAD");
      }
    }
    const head = await rawGet(server.port, "/api/runs", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("answers 404 to path traversal and to anything that is not a file of the page", async () => {
    const log = await testLog();
    await emitAll(log.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ paths: [log.path] });
    for (const path of ["/../package.json", "/..%2fpackage.json", "/%2e%2e/%2e%2e/package.json", "/assets/../../../../etc/passwd", "/assets/", "/assets", "/index.html/..", "//etc/passwd", "/src/main.ts", "/events.jsonl", "/api/../index.html"]) {
      const response = await rawGet(server.port, path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain("root:");
    }
  });

  it("requires the token on every route when bound beyond loopback, the event stream included", async () => {
    const log = await testLog();
    await emitAll(log.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ paths: [log.path], host: "0.0.0.0" });
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(server.url).toBe(`http://0.0.0.0:${server.port}/?token=${server.token}`);
    for (const path of ["/", "/index.html", "/api/runs", "/api/runs/RUN-1", "/api/costs", "/api/events", "/api/stream", "/nope"]) {
      expect((await rawGet(server.port, path)).status, path).toBe(401);
      expect((await rawGet(server.port, path, { headers: { authorization: "Bearer wrong-token-value" } })).status, path).toBe(401);
    }
    const stream = await connectSse(`http://127.0.0.1:${server.port}/api/stream`);
    expect(stream.status).toBe(401);
    stream.close();
    expect((await rawGet(server.port, "/api/runs", { headers: { authorization: `Bearer ${server.token!}` } })).status).toBe(200);
    // Opening the printed URL sets the cookie the page's own requests then carry.
    const opened = await rawGet(server.port, `/?token=${server.token!}`);
    expect(opened.status).toBe(200);
    const cookie = String(opened.headers["set-cookie"]).split(";")[0]!;
    expect(String(opened.headers["set-cookie"])).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await rawGet(server.port, "/api/costs", { headers: { cookie } })).status).toBe(200);
  });

  it("refuses requests addressed to another host name on loopback (DNS rebinding)", async () => {
    const log = await testLog();
    await emitAll(log.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ paths: [log.path] });
    expect((await rawGet(server.port, "/api/runs", { headers: { host: "evil.example:80" } })).status).toBe(403);
    expect((await rawGet(server.port, "/api/runs", { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it("answers 503 to one stream client more than the bound, and takes a new one when a client leaves", async () => {
    const log = await testLog();
    await emitAll(log.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ paths: [log.path], maxStreamClients: 2 });
    const url = apiUrl(server, "/api/stream");
    const first = await connectSse(url);
    const second = await connectSse(url);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await connectSse(url);
    expect(third.status).toBe(503);
    expect(third.headers["retry-after"]).toBe("5");
    third.close();
    first.close();
    await first.ended;
    // The server notices the close asynchronously.
    let again = await connectSse(url);
    for (let i = 0; again.status === 503 && i < 100; i++) {
      again.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await connectSse(url);
    }
    expect(again.status).toBe(200);
    again.close();
    second.close();
  });

  it("answers 400 with the parameter named for a bad query, and JSON 404 for an unknown run or route", async () => {
    const log = await testLog();
    await emitAll(log.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ paths: [log.path] });
    const cases: [string, number, string][] = [
      ["/api/costs?by=planet", 400, "by"],
      ["/api/runs?limit=0", 400, "limit"],
      ["/api/runs?status=sleeping", 400, "status"],
      ["/api/events?since=yesterday", 400, "since"],
      ["/api/events?event=task_exploded", 400, "event"],
      ["/api/events?runid=RUN-1", 400, "runid"],
      ["/api/stream?from=garbage!", 400, "from"],
      ["/api/runs/RUN-404", 404, "RUN-404"],
      ["/api/nothing", 404, "/api/nothing"],
    ];
    for (const [path, status, mention] of cases) {
      const response = await rawGet(server.port, path);
      expect(response.status, path).toBe(status);
      const body = JSON.parse(response.body) as { error: { code: string; message: string } };
      expect(body.error.message, path).toContain(mention);
    }
  });
});
