import { defineConfig } from "vite";

// The page is served by @telemetry/server under a CSP with no inline script:
// no modulepreload polyfill (Vite would inline it), no inlined assets.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
