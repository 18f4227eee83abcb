import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "server",
    // Tests start real servers and child processes on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
