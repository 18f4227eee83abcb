import { defineConfig } from "vitest/config";

// Every package's tests, from the root: `pnpm vitest run`.
export default defineConfig({
  test: {
    projects: ["packages/*", "tooling/*"],
  },
});
