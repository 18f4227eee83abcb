import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "ship",
    // Real nats-server processes per test; generous under a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
