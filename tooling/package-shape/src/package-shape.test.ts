// The published shape of every package, checked from its package.json and
// its built dist/ (run `pnpm build` first): what a user's `import`, `require`
// and registry page depend on. The pack-and-install test proves the same
// from real tarballs; this one is the fast check beside the code.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportSpecifiers, NODE_ENGINES, publishablePackages, REPOSITORY_ROOT, REPOSITORY_URL } from "./publishable-packages.js";

const packages = publishablePackages();

// Loads every export by the package's own name (Node's self-reference, which
// applies the `exports` map exactly as for an installed dependency), with
// require() and with import(), and lists what each returned.
const LOAD_BOTH_WAYS = `
import { createRequire } from "node:module";
const require = createRequire(process.cwd() + "/package.json");
const loaded = {};
for (const specifier of JSON.parse(process.env.SPECIFIERS)) {
  const json = specifier.endsWith(".json");
  const required = require(specifier);
  const imported = json ? (await import(specifier, { with: { type: "json" } })).default : await import(specifier);
  loaded[specifier] = { require: Object.keys(required).sort(), import: Object.keys(imported).filter((k) => k !== "module.exports").sort() };
}
process.stdout.write(JSON.stringify(loaded));
`;

describe("package shape", () => {
  it("finds the publishable packages", () => {
    expect(packages.map((p) => p.manifest.name)).toEqual(expect.arrayContaining(["@telemetry/cli", "@telemetry/schema", "@telemetry/writer"]));
  });

  describe.each(packages.map((p) => [p.manifest.name, p] as const))("%s", (_name, pkg) => {
    const { manifest } = pkg;

    it("says where it comes from, how to report a bug, and which Node it needs", () => {
      expect(manifest.license).toBe("MIT");
      expect(manifest.type).toBe("module");
      expect(manifest.repository).toEqual({ type: "git", url: `git+${REPOSITORY_URL}.git`, directory: pkg.relativeDir });
      expect(manifest.homepage).toBe(`${REPOSITORY_URL}/tree/main/${pkg.relativeDir}#readme`);
      expect(manifest.bugs).toEqual({ url: `${REPOSITORY_URL}/issues` });
      expect(manifest.keywords?.length).toBeGreaterThan(0);
      expect(manifest.engines).toEqual({ node: NODE_ENGINES });
    });

    it("ships the MIT license text", () => {
      const license = join(pkg.dir, "LICENSE");
      expect(existsSync(license), `${license} is missing`).toBe(true);
      expect(readFileSync(license, "utf8")).toMatch(/^MIT License\n/);
    });

    it("gives every entry point types first and one file for import and require alike", () => {
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        if (typeof target === "string") {
          expect(target, `exports["${subpath}"]`).toMatch(/\.json$/);
          continue;
        }
        // "default" serves import, require(esm) and bundlers from one file:
        // an "import"-only map is what made require() fail.
        expect(Object.keys(target), `exports["${subpath}"]`).toEqual(["types", "default"]);
      }
      expect(manifest.exports?.["./package.json"]).toBe("./package.json");
    });

    it("leaves tests and fixtures out of the tarball", () => {
      expect(manifest.files).toEqual(expect.arrayContaining(["dist", "!**/*.test.*", "!**/*.test-d.*", "!**/*.fixture.*"]));
    });

    it("depends on ranges a user's own copy can dedupe against, never an exact pin", () => {
      for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
        if (range.startsWith("workspace:")) continue;
        expect(range, `${name}@${range}`).toMatch(/^(\^|>=)/);
      }
    });

    it("links only to absolute URLs from its README, so links work on the registry page", () => {
      const readme = readFileSync(join(pkg.dir, "README.md"), "utf8");
      const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!).filter((href) => !/^(https?:|mailto:|#)/.test(href));
      expect(relative).toEqual([]);
    });

    // (The CLI exports only its package.json and a bin; its bin is run by the pack-and-install test.)
    if (exportSpecifiers(manifest).some((specifier) => !specifier.endsWith(".json"))) {
      it("loads every export with require() and with import() on this Node", () => {
        const specifiers = exportSpecifiers(manifest);
        const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", LOAD_BOTH_WAYS], {
          cwd: pkg.dir,
          env: { ...process.env, SPECIFIERS: JSON.stringify(specifiers), NODE_OPTIONS: "" },
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        });
        const loaded = JSON.parse(stdout) as Record<string, { require: string[]; import: string[] }>;
        for (const specifier of specifiers) {
          expect(loaded[specifier]?.require.length, specifier).toBeGreaterThan(0);
          expect(loaded[specifier]?.require, specifier).toEqual(loaded[specifier]?.import);
        }
      });
    }
  });

  it("uses the same repository in the root package and README", () => {
    const readme = readFileSync(join(REPOSITORY_ROOT, "README.md"), "utf8");
    expect(readme).toContain(REPOSITORY_URL);
  });
});
