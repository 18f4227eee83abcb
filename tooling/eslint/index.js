// Shared flat config: typed linting for every package. A package's
// eslint.config.js spreads `config` and, when it must stay browser-safe,
// `browserSafe` as well.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export const config = tseslint.config(
  { ignores: ["dist/**", "coverage/**", "*.config.js", "*.config.ts", "*.schema.json"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": "off",
    },
  },
  {
    // Build scripts are plain JavaScript outside any tsconfig.
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { URL: "readonly", process: "readonly", console: "readonly", Buffer: "readonly" },
    },
  },
  {
    files: ["**/*.test.ts", "**/*.test-d.ts"],
    rules: {
      // Tests assert on values they just narrowed; non-null assertions keep them short.
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);

const nodeBuiltins = ["fs", "path", "os", "crypto", "stream", "util", "buffer", "events", "child_process", "worker_threads", "url", "zlib", "net", "http", "https", "process", "readline"];

/** For packages that must run in a browser: no Node built-ins, no Node globals. */
export const browserSafe = [
  {
    files: ["src/**/*.ts"],
    ignores: ["src/**/*.test.ts", "src/**/*.test-d.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["node:*"], message: "This package must stay browser-safe: no Node built-ins." }],
          paths: nodeBuiltins.map((name) => ({ name, message: "This package must stay browser-safe: no Node built-ins." })),
        },
      ],
      "no-restricted-globals": [
        "error",
        ...["process", "Buffer", "require", "__dirname", "__filename", "global", "setImmediate"].map((name) => ({
          name,
          message: "This package must stay browser-safe: no Node globals.",
        })),
      ],
    },
  },
];

export default config;
