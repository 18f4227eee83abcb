import { browserSafe, config } from "@telemetry/eslint-config";

// The page (src/) runs in browsers; src-node/ only tells servers where it is.
export default [
  { ignores: ["dist-node/**"] },
  ...config,
  ...browserSafe,
  {
    files: ["src/**/*.ts"],
    ignores: ["src/**/*.test.ts"],
    rules: {
      // Text from events must never become markup.
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Set text with textContent (dom.ts): event text must never become HTML." },
        { property: "outerHTML", message: "Set text with textContent (dom.ts): event text must never become HTML." },
        { property: "insertAdjacentHTML", message: "Set text with textContent (dom.ts): event text must never become HTML." },
      ],
    },
  },
];
