import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "cli",
    // The tests spawn dist/bin.js; build it from the current source first.
    globalSetup: ["./src/build-cli.fixture.ts"],
    // Each test spawns node processes; the CI machine has 2 busy cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
