import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "schema",
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
  },
});
