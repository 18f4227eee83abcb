// The page in a real browser (Debian's chromium driven by playwright-core):
// what a person sees, live updates without reload, resume across a server
// restart, escaping, the token, and screenshots for the READMEs.
import { spawn } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_MISSING, launchBrowser, newPage, SCREENSHOTS } from "./browser.fixture.js";
import { cleanEnv, runCli } from "./run-cli.fixture.js";
import { startServeProcess } from "./serve-process.fixture.js";

const WRITER = new URL("../../writer/dist/index.js", import.meta.url).href;
const XSS = "<img src=x onerror=alert(1)>";

/** Writes events from another process with the real writer, `ratePerSecond` at a time; resolves with their ids once all are acknowledged. */
async function emitFromChild(path: string, count: number, ratePerSecond: number, runId: string): Promise<string[]> {
  const code = `
    const { openEventWriter } = await import(${JSON.stringify(WRITER)});
    const writer = await openEventWriter({ path: ${JSON.stringify(path)} });
    for (let i = 0; i < ${count}; i++) {
      const event = await writer.emit({ event: "cost_update", run_id: ${JSON.stringify(runId)}, task_id: "t1", summary: "n" + i, metrics: { cost_usd: 0.001 } });
      process.stdout.write(event.event_id + "\\n");
      await new Promise((r) => setTimeout(r, ${Math.round(1000 / ratePerSecond)}));
    }
    await writer.close();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], { env: cleanEnv(), stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(exitCode).toBe(0);
  return out.split("\n").filter(Boolean);
}

async function demoLog(): Promise<string> {
  const dir = join(testdir(), "demo");
  const result = await runCli(["demo", dir, "--no-color"]);
  expect(result.code, result.stderr).toBe(0);
  return join(dir, "events.jsonl");
}

async function emit(path: string, args: readonly string[]): Promise<void> {
  const result = await runCli(["emit", path, ...args]);
  expect(result.code, result.stderr).toBe(0);
}

describe.skipIf(CHROMIUM_MISSING !== undefined)(`the page in chromium${CHROMIUM_MISSING === undefined ? "" : ` (SKIPPED: ${CHROMIUM_MISSING})`}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("lists the runs, and shows an event from another process in the list and the open run's timeline within a second, as text", async () => {
    const log = await demoLog();
    const server = await startServeProcess([log, "--port", "0"]);
    const runsPage = await newPage(browser);
    await runsPage.goto(server.url);
    await runsPage.locator(".run-row").first().waitFor();
    expect(await runsPage.locator(".run-row").count()).toBe(5);
    expect(await runsPage.locator(".run-row .pill-failed").count()).toBe(1);
    await runsPage.screenshot({ path: join(SCREENSHOTS, "runs.png") });

    const failedRun = (await runsPage.locator(".run-row:has(.pill-failed)").getAttribute("data-run-id"))!;
    const runPage = await newPage(browser);
    await runPage.goto(`${server.url}#/runs/${failedRun}`);
    await runPage.locator(".timeline .bar").first().waitFor();
    expect(await runPage.locator(".timeline .bar-failed").count()).toBe(1);
    expect(await runPage.locator(".failure-summary").first().textContent()).toContain("tests failed");
    await runPage.screenshot({ path: join(SCREENSHOTS, "run-timeline.png") });

    // Another process appends: a new task in the open run, and a new run.
    await emit(log, ["--type", "task_started", "--run", failedRun, "--task", "task-live", "--agent", "coder", "--summary", XSS]);
    const acknowledged = Date.now();
    await runPage.locator('.bar[data-task-id="task-live"]').waitFor({ timeout: 1_000 });
    expect(Date.now() - acknowledged).toBeLessThan(1_000);
    await emit(log, ["--type", "task_failed", "--run", "RUN-LIVE", "--task", "t1", "--summary", XSS]);
    const second = Date.now();
    await runsPage.locator('.run-row[data-run-id="RUN-LIVE"]').waitFor({ timeout: 1_000 });
    expect(Date.now() - second).toBeLessThan(1_000);
    expect(await runsPage.locator(".run-row").count()).toBe(6);

    // The summary is text: the same characters on screen, no element made from it.
    const summaryCell = runPage.locator('tr[data-task-id="task-live"] .summary');
    await summaryCell.waitFor();
    expect(await summaryCell.textContent()).toBe(XSS);
    expect(await runPage.locator("main img").count()).toBe(0);
    await runPage.goto(`${server.url}#/runs/RUN-LIVE`);
    // A hash change re-renders without a navigation: wait for the new run's failure, then count.
    await runPage.locator(".failure-summary", { hasText: XSS }).waitFor();
    expect(await runPage.locator(".failure-summary").allTextContents()).toEqual([XSS]);
    expect(await runPage.locator("main img").count()).toBe(0);

    await runPage.goto(`${server.url}#/costs`);
    await runPage.locator(".chart .bar-row").first().waitFor();
    await runPage.screenshot({ path: join(SCREENSHOTS, "costs.png") });
    await runsPage.close();
    await runPage.close();
  });

  it("resumes the live feed after the server is killed and restarted, with no missing and no repeated event", async () => {
    const dir = testdir();
    const log = join(dir, "events.jsonl");
    await emit(log, ["--type", "task_started", "--run", "RUN-R"]);
    const first = await startServeProcess([log, "--port", "0"]);
    const page = await newPage(browser);
    await page.goto(`${first.url}#/live`);
    await page.locator(".conn-live").waitFor();
    const writing = emitFromChild(log, 120, 60, "RUN-R");
    const rows = page.locator(".feed tr[data-event-id]");
    await expect.poll(() => rows.count(), { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(30);
    first.child.kill("SIGKILL");
    await first.exited;
    await page.locator(".conn-connecting, .conn-offline").waitFor();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await startServeProcess([log, "--port", String(first.port)]);
    const written = await writing;
    expect(written).toHaveLength(120);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(written.length);
    // A little longer: a repeat would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const shown = await Promise.all((await rows.all()).map((row) => row.getAttribute("data-event-id")));
    expect(shown).toHaveLength(written.length);
    expect(new Set(shown)).toEqual(new Set(written));
    // Newest on top: the feed is in write order, reversed.
    expect(shown).toEqual([...written].reverse());
    expect(await page.locator(".feed-count").textContent()).toBe("120 events");
    await page.close();
    second.child.kill("SIGTERM");
  });

  it("answers 401 without the token on a non-loopback bind, and works once the printed URL is opened", async () => {
    const dir = testdir();
    const log = join(dir, "events.jsonl");
    await emit(log, ["--type", "task_started", "--run", "RUN-T"]);
    const server = await startServeProcess([log, "--port", "0", "--host", "0.0.0.0", "--max-streams", "1"]);
    const local = `http://127.0.0.1:${server.port}/`;
    const page = await newPage(browser);
    expect((await page.goto(local))!.status()).toBe(401);
    expect((await page.goto(`${local}api/stream`))!.status()).toBe(401);
    expect((await page.goto(`${local}..%2f..%2fpackage.json`))!.status()).toBe(401);
    const token = new URL(server.url).searchParams.get("token")!;
    expect((await page.goto(`${local}?token=${token}`))!.status()).toBe(200);
    await page.locator('.run-row[data-run-id="RUN-T"]').waitFor();
    // The token left the address bar; the page's requests carry the cookie.
    expect(page.url()).toBe(local);
    await page.locator(".conn-live").waitFor();
    expect((await page.goto(`${local}..%2f..%2fpackage.json`))!.status()).toBe(404);
    expect((await page.goto(`${local}assets/..%2f..%2f..%2fpackage.json`))!.status()).toBe(404);
    // The page above held the one stream allowed; a second client is turned away.
    const other = await newPage(browser);
    await other.goto(`${local}?token=${token}`);
    await other.locator(".run-row").first().waitFor();
    expect(await other.evaluate(async () => (await fetch("/api/stream")).status)).toBe(503);
    await other.close();
    await page.close();
    const saved = await readFile(join(SCREENSHOTS, "runs.png")).catch(() => undefined);
    expect(saved === undefined || saved.length > 10_000).toBe(true);
  });
});
