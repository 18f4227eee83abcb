// Runs a child Node with the SQLite engine (better-sqlite3) made unavailable
// for real, as on a user's machine: "missing" resolves it from a directory
// where it is not installed (Node's own ERR_MODULE_NOT_FOUND); "unbuilt"
// resolves it to a copy of the real package without its compiled native
// module (what pnpm 10 leaves when the build script was not approved).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

function packageDir(fromPackageJson: string, name: string): string {
  return dirname(createRequire(fromPackageJson).resolve(`${name}/package.json`));
}

/**
 * Writes the hooks into `dir` and returns the Node arguments that install
 * them (`["--import", ...]`), to put before the script in a spawn.
 */
export function withoutSqliteEngine(dir: string, mode: "missing" | "unbuilt"): string[] {
  const root = join(dir, `sqlite-${mode}`);
  mkdirSync(join(root, "node_modules"), { recursive: true });
  if (mode === "unbuilt") {
    const engine = packageDir(join(repositoryRoot, "packages/logger-compat/package.json"), "better-sqlite3");
    const bindings = packageDir(join(engine, "package.json"), "bindings");
    const fileUri = packageDir(join(bindings, "package.json"), "file-uri-to-path");
    // The JavaScript of each package, not better-sqlite3's build/ (the compiled engine).
    cpSync(join(engine, "package.json"), join(root, "node_modules/better-sqlite3/package.json"));
    cpSync(join(engine, "lib"), join(root, "node_modules/better-sqlite3/lib"), { recursive: true });
    cpSync(bindings, join(root, "node_modules/bindings"), { recursive: true, dereference: true });
    cpSync(fileUri, join(root, "node_modules/file-uri-to-path"), { recursive: true, dereference: true });
  }
  const parentURL = pathToFileURL(join(root, "importer.mjs")).href;
  writeFileSync(
    join(root, "hooks.mjs"),
    `export async function resolve(specifier, context, nextResolve) {
  if (specifier === "better-sqlite3" || specifier.startsWith("better-sqlite3/")) return nextResolve(specifier, { ...context, parentURL: ${JSON.stringify(parentURL)} });
  return nextResolve(specifier, context);
}
`,
  );
  writeFileSync(join(root, "register.mjs"), `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
  return ["--import", pathToFileURL(join(root, "register.mjs")).href];
}
