// The pack-and-install test (`pnpm test:packed`, part of `pnpm run ci`): what
// a new user gets. Packs every publishable package with `pnpm pack`, installs
// the tarballs with plain npm into a scratch app in a temporary directory
// outside the workspace (only their third-party dependencies come from the
// registry), and runs, as that app: an ES module script and a CommonJS script
// that write, read, query and follow a log; a TypeScript check of a consumer
// in nodenext ESM, nodenext CommonJS and bundler resolution; the `telemetry`
// bin (--help, demo, verify, and import-legacy without the optional SQLite
// engine); and an esbuild browser bundle of @telemetry/schema alone.
// Run `pnpm build` first. `--keep` leaves the scratch directory for a look.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { publishablePackages, REPOSITORY_ROOT } from "./publishable-packages.js";
import { SCRATCH_FILES } from "./scratch-app.js";

const keep = process.argv.includes("--keep");
const started = performance.now();
const require = createRequire(join(REPOSITORY_ROOT, "package.json"));
const tsc = require.resolve("typescript/bin/tsc");

function step(name: string, run: () => string | undefined | Promise<string | undefined>): Promise<void> {
  const t0 = performance.now();
  return new Promise<string | undefined>((resolve) => resolve(run())).then(
    (detail) => console.log(`ok    ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ""}`),
    (error: unknown) => {
      const output = error as { stdout?: string; stderr?: string; message?: string };
      console.error(`FAIL  ${name}\n${output.stdout ?? ""}${output.stderr ?? ""}${output.message ?? String(error)}`);
      throw error;
    },
  );
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", ...env },
    maxBuffer: 16 << 20,
  });
}

function expectIn(text: string, wanted: string, what: string): void {
  if (!text.includes(wanted)) throw new Error(`${what}: expected to contain ${JSON.stringify(wanted)}, got:\n${text}`);
}

const scratch = mkdtempSync(join(tmpdir(), "telemetry-packed-"));
const tarballs = join(scratch, "tarballs");
const app = join(scratch, "app");
mkdirSync(tarballs);
mkdirSync(app);
const packages = publishablePackages();
const tarballOf = new Map<string, string>();

try {
  await step(`pack ${packages.length} packages (${packages.map((p) => p.manifest.name).join(", ")})`, () => {
    for (const pkg of packages) {
      const before = new Set(readdirSync(tarballs));
      run("npx", ["-y", "pnpm@10.34.9", "pack", "--pack-destination", tarballs], pkg.dir);
      const made = readdirSync(tarballs).find((f) => !before.has(f));
      if (made === undefined) throw new Error(`pnpm pack made no tarball for ${pkg.manifest.name}`);
      tarballOf.set(pkg.manifest.name, join(tarballs, made));
    }
    return undefined;
  });

  await step("each tarball ships LICENSE, README and dist, and no tests or fixtures", () => {
    for (const [name, tarball] of tarballOf) {
      const files = run("tar", ["-tzf", tarball], scratch).split("\n").filter(Boolean);
      for (const wanted of ["package/LICENSE", "package/README.md", "package/package.json"]) {
        if (!files.includes(wanted)) throw new Error(`${name}: ${wanted} is missing from the tarball`);
      }
      if (!files.some((f) => f.startsWith("package/dist/"))) throw new Error(`${name}: no dist/ in the tarball`);
      const unwanted = files.filter((f) => /\.(test|test-d|fixture)\.|\/fixtures?\//.test(f));
      if (unwanted.length > 0) throw new Error(`${name} ships test files: ${unwanted.join(", ")}`);
    }
    return `${tarballOf.size} tarballs`;
  });

  await step("npm install the tarballs into a scratch app (no compiler, no better-sqlite3)", () => {
    const dependencies = Object.fromEntries([...tarballOf].map(([name, tarball]) => [name, `file:${tarball}`]));
    writeFileSync(
      join(app, "package.json"),
      `${JSON.stringify({ name: "scratch-app", private: true, version: "1.0.0", dependencies, devDependencies: { "@types/node": "^20.19.0" } }, null, 2)}\n`,
    );
    for (const [file, text] of Object.entries(SCRATCH_FILES)) {
      mkdirSync(join(app, file, ".."), { recursive: true });
      writeFileSync(join(app, file), text);
    }
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], app);
    const installed = readdirSync(join(app, "node_modules"));
    if (installed.includes("better-sqlite3")) throw new Error("better-sqlite3 was installed, but it must be an optional peer");
    return `${installed.length} entries in node_modules`;
  });

  await step("ESM script: write, read, query, follow; compat logger without SQLite", () => {
    const out = run(process.execPath, ["esm.mjs"], app);
    expectIn(out, "esm ok", "esm.mjs");
    return out.trim();
  });

  await step("CommonJS script (require): write, read, query, follow; compat logger without SQLite", () => {
    const out = run(process.execPath, ["cjs.cjs"], app);
    expectIn(out, "cjs ok", "cjs.cjs");
    return out.trim();
  });

  for (const mode of ["ts-esm", "ts-cjs", "ts-bundler"]) {
    await step(`TypeScript consumer type-checks (${mode}: ${mode === "ts-bundler" ? "moduleResolution bundler" : `module nodenext, ${mode === "ts-esm" ? "ESM" : "CommonJS"}`})`, () => {
      run(process.execPath, [tsc, "-p", join(mode, "tsconfig.json")], app);
      return undefined;
    });
  }

  const bin = join(app, "node_modules", ".bin", "telemetry");
  await step("telemetry --help", () => {
    expectIn(run(bin, ["--help"], app), "Usage: telemetry <command>", "--help");
    return undefined;
  });
  const demoDir = join(scratch, "demo");
  await step("telemetry demo, then telemetry verify on its log", () => {
    expectIn(run(bin, ["demo", demoDir], app), "model", "demo");
    const verified = run(bin, ["verify", join(demoDir, "events.jsonl")], app);
    expectIn(verified, "0 invalid lines", "verify");
    return verified.trim();
  });
  await step("telemetry import-legacy without better-sqlite3: exit 1 with install steps", () => {
    try {
      run(bin, ["import-legacy", join(REPOSITORY_ROOT, "fixtures/legacy/telemetry.db"), "--out", join(scratch, "imported.jsonl")], app);
    } catch (error) {
      const failed = error as { status?: number; stderr?: string };
      if (failed.status !== 1) throw new Error(`expected exit 1, got ${failed.status}: ${failed.stderr}`);
      expectIn(failed.stderr ?? "", "npm install better-sqlite3@^12", "import-legacy stderr");
      return "SQLITE_UNAVAILABLE";
    }
    throw new Error("import-legacy succeeded without better-sqlite3");
  });

  await step("esbuild browser bundle of @telemetry/schema alone", async () => {
    const result = await build({
      absWorkingDir: app,
      entryPoints: ["browser.js"],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    const foreign = inputs.filter((input) => input.startsWith("node_modules/") && !/^node_modules\/(@telemetry\/schema|zod)\//.test(input));
    if (foreign.length > 0) throw new Error(`the browser bundle pulled in ${foreign.join(", ")}`);
    const bytes = result.outputFiles[0]?.contents.byteLength ?? 0;
    return `${(bytes / 1024).toFixed(1)} KiB minified, ${inputs.length} inputs`;
  });

  console.log(`pack-and-install: every check passed in ${((performance.now() - started) / 1000).toFixed(0)} s${keep ? ` (kept ${scratch})` : ""}`);
} catch {
  console.error(`pack-and-install failed; the scratch app is in ${scratch}`);
  process.exitCode = 1;
} finally {
  if (!keep && process.exitCode !== 1) rmSync(scratch, { recursive: true, force: true });
}
