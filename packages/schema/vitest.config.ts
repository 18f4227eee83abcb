import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "schema",
    // Property tests run thousands of cases; CI runs every package at once on 2 cores.
    testTimeout: 30_000,
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
  },
});
