import { writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { followFleet, readFleet } from "@telemetry/ship";
import { natsServerMissing, startNatsServer, testdir } from "@telemetry/test-utils";
import { CHROMIUM_MISSING, launchBrowser, newPage, SCREENSHOTS } from "./browser.fixture.js";
import { linesOf, runCli, spawnLiveCli, type LiveCli } from "./run-cli.fixture.js";
import { startServeProcess } from "./serve-process.fixture.js";

const missing = natsServerMissing();
const HOSTS = ["web-1", "web-2", "worker-1"] as const;
const line = (host: string, i: number): string =>
  `{"event":"task_started","ts":"2026-02-13T10:00:0${i}+00:00","run_id":"RUN-${host}","task_id":"t-${i}","summary":"from ${host}","event_id":"${host}-${i}"}\n`;

describe.skipIf(missing !== undefined)(`three hosts shipping into one stream${missing ? ` (skipped: ${missing})` : ""}`, () => {
  it("reads every host's events, in order per host, with followFleet, `telemetry tail|query|stats nats://` and `serve nats://` in a browser", async () => {
    const nats = await startNatsServer();
    onTestFinished(() => nats.dispose());
    const dir = testdir();
    const shippers: LiveCli[] = [];
    for (const host of HOSTS) {
      const path = join(dir, `${host}.jsonl`);
      writeFileSync(path, line(host, 0) + line(host, 1));
      const shipper = spawnLiveCli(["ship", path, "--server", nats.url, "--host", host]);
      shippers.push(shipper);
      onTestFinished(async () => {
        shipper.child.kill("SIGTERM");
        await shipper.exited;
      });
    }
    const source = `${nats.url}/TELEMETRY`;
    // The first shipper creates the stream; readers need it to exist.
    const deadline = Date.now() + 30_000;
    for (;;) {
      let stored = 0;
      try {
        for await (const _ of readFleet({ servers: nats.url })) stored++;
      } catch (error) {
        if ((error as { code?: string }).code !== "STREAM_NOT_FOUND") throw error;
      }
      if (stored === 6) break;
      if (Date.now() > deadline) throw new Error(`only ${stored} of 6 events shipped after 30 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const tail = spawnLiveCli(["tail", "-f", "-n", "100", source, "--json"]);
    onTestFinished(async () => {
      tail.child.kill("SIGTERM");
      await tail.exited;
    });

    // followFleet sees all six, then each host's third event written while it runs.
    const controller = new AbortController();
    const seen: string[] = [];
    let appended = false;
    for await (const entry of followFleet({ servers: nats.url, signal: controller.signal, pollIntervalMs: 20 })) {
      seen.push(`${entry.host}:${entry.event.event_id}`);
      if (seen.length === 6 && !appended) {
        appended = true;
        for (const host of HOSTS) appendFileSync(join(dir, `${host}.jsonl`), line(host, 2));
      }
      if (seen.length === 9) controller.abort();
    }
    for (const host of HOSTS) {
      expect(seen.filter((s) => s.startsWith(`${host}:`))).toEqual([0, 1, 2].map((i) => `${host}:${host}-${i}`));
    }

    await tail.waitForStdout((out) => out.split("\n").filter((l) => l !== "").length === 9);
    const tailed = tail.stdout().split("\n").filter((l) => l !== "").map((l) => (JSON.parse(l) as { event_id: string }).event_id);
    expect(new Set(tailed)).toEqual(new Set(HOSTS.flatMap((h) => [0, 1, 2].map((i) => `${h}-${i}`))));

    // Without -f, tail prints the newest N and exits.
    const lastTwo = await runCli(["tail", "-n", "2", source, "--json"]);
    expect(lastTwo.code, lastTwo.stderr).toBe(0);
    expect(linesOf(lastTwo.stdout)).toEqual(linesOf(tail.stdout()).slice(-2));

    // query and stats read the same stream as one log.
    const queried = await runCli(["query", source, "--json"]);
    expect(queried.code, queried.stderr).toBe(0);
    expect(linesOf(queried.stdout).map((l) => (JSON.parse(l) as { event_id: string }).event_id).sort()).toEqual([...tailed].sort());
    const newest = await runCli(["query", source, "--run", "RUN-web-2", "--desc", "-n", "2", "--no-color"]);
    expect(newest.code, newest.stderr).toBe(0);
    expect(linesOf(newest.stdout)).toEqual([expect.stringMatching(/^web-2 .*task_started .*RUN-web-2\/t-2/), expect.stringMatching(/^web-2 .*RUN-web-2\/t-1/)]);
    const stats = await runCli(["stats", source, "--json"]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(linesOf(stats.stdout).map((l) => (JSON.parse(l) as { run_id: string; events: number })).map((r) => [r.run_id, r.events]).sort()).toEqual(HOSTS.map((h) => [`RUN-${h}`, 3]).sort());

    const served = await startServeProcess([source, "--port", "0"]);
    const runs = (await (await fetch(`${served.url}api/runs`)).json()) as { runs: { run_id: string; hosts?: string[] }[] };
    expect(runs.runs.map((r) => [r.run_id, r.hosts]).sort()).toEqual(HOSTS.map((h) => [`RUN-${h}`, [h]]).sort());
    const onHost = (await (await fetch(`${served.url}api/runs?q=worker`)).json()) as { runs: { run_id: string }[] };
    expect(onHost.runs.map((r) => r.run_id)).toEqual(["RUN-worker-1"]);
    const events = (await (await fetch(`${served.url}api/events`)).text()).split("\n").filter((l) => l !== "");
    expect(events).toHaveLength(9);

    // And the page a person opens: every host's run, then a fourth host's event live, without a reload.
    if (CHROMIUM_MISSING !== undefined) return;
    const browser = await launchBrowser();
    onTestFinished(() => browser.close());
    const page = await newPage(browser);
    await page.goto(served.url);
    await page.locator(".run-row").nth(2).waitFor();
    const shown = await Promise.all((await page.locator(".run-row").all()).map((row) => row.getAttribute("data-run-id")));
    expect(shown.sort()).toEqual(HOSTS.map((h) => `RUN-${h}`).sort());
    const late = join(dir, "batch-7.jsonl");
    writeFileSync(late, line("batch-7", 0));
    const lateShipper = spawnLiveCli(["ship", late, "--server", nats.url, "--host", "batch-7"]);
    onTestFinished(async () => {
      lateShipper.child.kill("SIGTERM");
      await lateShipper.exited;
    });
    await page.locator('.run-row[data-run-id="RUN-batch-7"]').waitFor({ timeout: 30_000 });
    // Each run shows the host it runs on.
    expect(await page.locator('.run-row[data-run-id="RUN-batch-7"] .hosts').textContent()).toBe("batch-7");
    expect(await page.locator(".run-row").count()).toBe(4);
    await page.screenshot({ path: join(SCREENSHOTS, "fleet-runs.png") });
  });
});
