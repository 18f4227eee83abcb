import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { startCli } from "../run-cli.fixture.js";

describe("telemetry demo --serve", () => {
  it("serves the demo log, prints the page's URL and plays a run live until Ctrl-C", async () => {
    const dir = join(testdir(), "demo");
    const child = startCli(["demo", dir, "--serve", "--port", "0", "--no-color"]);
    let stdout = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (url === undefined && Date.now() < deadline) {
      url = /open (http:\/\/127\.0\.0\.1:\d+\/)#\/runs\/(RUN-LIVE-\d+) to watch/.exec(stdout)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(url, stdout).toBeDefined();
    const liveRun = /#\/runs\/(RUN-LIVE-\d+)/.exec(stdout)![1]!;
    // The live run appears among the demo's five while it is being played.
    let runs: string[] = [];
    while (!runs.includes(liveRun) && Date.now() < deadline) {
      runs = ((await (await fetch(`${url!}api/runs`)).json()) as { runs: { run_id: string }[] }).runs.map((r) => r.run_id);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(runs).toHaveLength(6);
    expect(runs[0]).toBe(liveRun);
    expect((await fetch(url!)).status).toBe(200);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
