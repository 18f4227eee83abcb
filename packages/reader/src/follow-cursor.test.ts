import type { TelemetryEvent } from "@telemetry/schema";
import { describe, expect, it } from "vitest";
import type { CursorEntry, EventCursor, PollResult } from "./event-cursor.js";
import { followCursor, PollPacer } from "./index.js";

/** A cursor over scripted polls: each poll returns the next batch, `caughtUp` as scripted. */
function scriptedCursor(polls: readonly { ids: string[]; caughtUp: boolean }[]): EventCursor<number> & { readonly polled: number } {
  let at = 0;
  let position = 0;
  return {
    get polled() {
      return at;
    },
    get checkpoint() {
      return position;
    },
    poll(): Promise<PollResult<number>> {
      const step = polls[Math.min(at++, polls.length - 1)]!;
      const events: CursorEntry<number>[] = (at > polls.length ? [] : step.ids).map((id) => {
        const event = { event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: id } as TelemetryEvent;
        return { event, checkpoint: ++position, line: JSON.stringify(event) };
      });
      return Promise.resolve({ events, caughtUp: at > polls.length || step.caughtUp });
    },
    close: () => Promise.resolve(),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

describe("followCursor", () => {
  it("calls onCaughtUp once a poll has read everything, after that poll's events were handed out", async () => {
    const cursor = scriptedCursor([
      { ids: ["a", "b"], caughtUp: false },
      { ids: ["c"], caughtUp: true },
      { ids: ["d"], caughtUp: true },
    ]);
    const seen: string[] = [];
    const controller = new AbortController();
    for await (const { event } of followCursor(cursor, { signal: controller.signal, pollIntervalMs: 5, onCaughtUp: () => seen.push("caught up") })) {
      seen.push(event.event_id);
      if (event.event_id === "d") controller.abort();
    }
    expect(seen).toEqual(["a", "b", "c", "caught up", "d"]);
  });

  it("does not wait between polls while the cursor has not caught up", async () => {
    const cursor = scriptedCursor(Array.from({ length: 50 }, (_, i) => ({ ids: [`e-${i}`], caughtUp: false })));
    const controller = new AbortController();
    let count = 0;
    const started = performance.now();
    // An interval of a minute: any wait at all would stall this test.
    for await (const _ of followCursor(cursor, { signal: controller.signal, pollIntervalMs: 60_000 })) if (++count === 50) controller.abort();
    expect(count).toBe(50);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it("ends without an error when the signal aborts while it waits", async () => {
    const controller = new AbortController();
    const following = (async () => {
      for await (const _ of followCursor(scriptedCursor([{ ids: [], caughtUp: true }]), { signal: controller.signal, pollIntervalMs: 60_000 })) {
        /* nothing arrives */
      }
    })();
    setTimeout(() => controller.abort(), 20);
    await expect(following).resolves.toBeUndefined();
  });
});

describe("PollPacer", () => {
  it("looks again after 10 ms while events flow and backs off by doubling to its interval when idle", () => {
    const pacer = new PollPacer(200);
    const waits = [true, false, false, false, false, false, false, true, false].map((found) => pacer.next(found));
    expect(waits).toEqual([10, 20, 40, 80, 160, 200, 200, 10, 20]);
  });

  it("never waits longer than an interval below 10 ms", () => {
    const pacer = new PollPacer(3);
    expect([true, false, false].map((found) => pacer.next(found))).toEqual([3, 3, 3]);
  });
});
