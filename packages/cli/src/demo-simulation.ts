// The agent run `telemetry demo` plays: several runs of several tasks, all
// runs at once and tasks in parallel lanes (each lane a producer awaiting
// its own emits), tool executions with token costs, and one task that fails.
// Seeded, so the figures are the same on every machine; timestamps are
// simulated (a run takes minutes of simulated time, the demo a second).
import type { EventInput, TelemetryEvent } from "@telemetry/schema";
import { seededRandom } from "./seeded-random.js";

export interface EventSink {
  emit(input: EventInput): Promise<TelemetryEvent>;
}

export interface DemoPlan {
  readonly runs: number;
  readonly tasksPerRun: number;
  /** Tasks of one run in progress at once. */
  readonly lanes: number;
  readonly seed: number;
  /** Simulated start of the first run. */
  readonly start: Date;
  /** Which task fails: run index and task index, both 0-based. */
  readonly failing: { readonly run: number; readonly task: number };
}

export interface DemoOutcome {
  readonly runIds: readonly string[];
  /** Every event as stored, in acknowledgement order. */
  readonly events: number;
  readonly failedTask: { readonly run_id: string; readonly task_id: string };
}

interface Model {
  readonly name: string;
  readonly usdPerInputToken: number;
  readonly usdPerOutputToken: number;
}

// List prices per token (USD per million / 1e6); the figures only need to be plausible.
const MODELS: Readonly<Record<string, Model>> = {
  "claude-code": { name: "claude-3.5-sonnet", usdPerInputToken: 3 / 1e6, usdPerOutputToken: 15 / 1e6 },
  codex: { name: "gpt-4o", usdPerInputToken: 2.5 / 1e6, usdPerOutputToken: 10 / 1e6 },
  cursor: { name: "gpt-4o-mini", usdPerInputToken: 0.15 / 1e6, usdPerOutputToken: 0.6 / 1e6 },
};
const TOOLS = Object.keys(MODELS);

const ROLES = [
  { agent: "planner", phase: "planning", work: ["read the issue", "outline a plan", "split into steps"] },
  { agent: "coder", phase: "implementation", work: ["edit src/", "add tests", "fix types", "refactor"] },
  { agent: "reviewer", phase: "review", work: ["read the diff", "check edge cases", "write comments"] },
  { agent: "tester", phase: "testing", work: ["run unit tests", "run e2e tests", "collect coverage"] },
] as const;

export function demoRunId(start: Date, run: number): string {
  return `RUN-${start.toISOString().slice(0, 10).replaceAll("-", "")}-${String(run + 1).padStart(3, "0")}`;
}

/**
 * Plays the plan against `sinkFor(run)` (one sink per run, or one for all),
 * all runs at once. Every emit is awaited by its producer, as an agent acknowledging its
 * own lifecycle events would; producers interleave in the file.
 */
export async function simulateAgentRuns(plan: DemoPlan, sinkFor: (run: number) => EventSink): Promise<DemoOutcome> {
  const random = seededRandom(plan.seed);
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let events = 0;
  const runIds: string[] = [];
  let failedTask = { run_id: "", task_id: "" };

  // Plans are drawn up front, in order, so the seed alone decides the data
  // whatever order the concurrent producers happen to run in.
  const runs = Array.from({ length: plan.runs }, (_, run) => {
    const runId = demoRunId(plan.start, run);
    runIds.push(runId);
    const runStart = plan.start.getTime() + run * 7 * 60_000;
    const tasks = Array.from({ length: plan.tasksPerRun }, (_, task) => {
      const role = ROLES[task % ROLES.length] ?? ROLES[0];
      const tool = pick(TOOLS);
      const fails = run === plan.failing.run && task === plan.failing.task;
      const steps = Array.from({ length: between(4, 8) }, () => ({
        action: pick(role.work),
        calls: Array.from({ length: between(1, 3) }, () => ({
          prompt: between(800, 9_000),
          completion: between(120, 2_400),
          latency: between(900, 24_000),
        })),
      }));
      return { taskId: `task-${String(task + 1).padStart(2, "0")}`, role, tool, fails, steps };
    });
    return { runId, runStart, tasks };
  });

  await Promise.all(
    runs.map(async ({ runId, runStart, tasks }, run) => {
      const sink = sinkFor(run);
      const emit = async (input: EventInput): Promise<void> => {
        await sink.emit(input);
        events++;
      };
      const queue = [...tasks];
      await Promise.all(
        Array.from({ length: plan.lanes }, async (_, lane) => {
          let clock = runStart + lane * 20_000;
          const at = (advanceMs: number): string => new Date((clock += advanceMs)).toISOString();
          for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
            const { taskId, role, tool, fails, steps } = next;
            const model = MODELS[tool] ?? { name: tool, usdPerInputToken: 0, usdPerOutputToken: 0 };
            const base = { run_id: runId, task_id: taskId, phase: role.phase, agent_role: role.agent, mode: "batch" };
            await emit({ ...base, event: "task_started", ts: at(1_000), status: "running", summary: `${role.agent}: ${role.work[0]}` });
            for (const [index, step] of steps.entries()) {
              const lastStep = index === steps.length - 1;
              const stepFails = fails && lastStep;
              const logDir = `runs/${runId}/tasks/${taskId}/step-${index + 1}`;
              await emit({
                ...base,
                event: "execution_start",
                ts: at(500),
                tool,
                status: "running",
                summary: step.action,
                log_paths: { stdout: `${logDir}/stdout.log`, stderr: `${logDir}/stderr.log` },
              });
              let stepLatency = 0;
              for (const call of step.calls) {
                stepLatency += call.latency;
                await emit({
                  ...base,
                  event: "cost_update",
                  ts: at(call.latency),
                  tool,
                  status: "success",
                  metrics: {
                    model: model.name,
                    prompt_tokens: call.prompt,
                    completion_tokens: call.completion,
                    total_tokens: call.prompt + call.completion,
                    cost_usd: Number((call.prompt * model.usdPerInputToken + call.completion * model.usdPerOutputToken).toFixed(6)),
                    latency_ms: call.latency,
                  },
                });
              }
              await emit({
                ...base,
                event: "execution_complete",
                ts: at(300),
                tool,
                status: stepFails ? "failed" : "completed",
                ...(stepFails ? { summary: "exit code 1: 3 tests failed" } : {}),
                metrics: { latency_ms: stepLatency },
              });
            }
            if (fails) {
              failedTask = { run_id: runId, task_id: taskId };
              await emit({
                ...base,
                event: "task_failed",
                ts: at(200),
                status: "failed",
                summary: "tests failed: test_rotation_keeps_order, test_torn_tail, test_resume (3 of 41)",
              });
            } else {
              await emit({ ...base, event: "task_completed", ts: at(200), status: "completed", summary: `${role.agent} done` });
            }
          }
        }),
      );
    }),
  );
  return { runIds, events, failedTask };
}
