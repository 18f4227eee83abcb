// Finds the SQLite engine the legacy import reads with, only when an import
// runs: better-sqlite3 is an optional peer dependency, so a logger that never
// imports never loads (or needs to compile) a native module.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type BetterSqlite3 from "better-sqlite3";
import { SqliteUnavailableError } from "./errors.js";

/** The better-sqlite3 `Database` constructor. */
export type SqliteDatabaseConstructor = typeof BetterSqlite3;

/** The major version the import is tested with; 13 requires a newer Node (it crashes on Node 20). */
const SUPPORTED_MAJOR = 12;

/** The version in the package.json of the package that holds `file`. */
function installedVersion(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "better-sqlite3" && typeof manifest.version === "string") return manifest.version;
    } catch {
      // No package.json at this level: keep walking up.
    }
  }
  return "unknown";
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/**
 * Loads better-sqlite3 and proves its native module works by opening an
 * in-memory database, so that a missing engine is never mistaken for a bad
 * legacy file.
 * @throws {SqliteUnavailableError} (SQLITE_UNAVAILABLE) with install instructions.
 */
export async function loadSqliteEngine(): Promise<SqliteDatabaseConstructor> {
  let version: string;
  try {
    // Resolved (as `import` would) and its version checked first: a wrong major must be refused before its native code runs.
    version = installedVersion(fileURLToPath(import.meta.resolve("better-sqlite3")));
  } catch (error) {
    if (isModuleNotFound(error)) throw new SqliteUnavailableError("is not installed", { cause: error });
    throw new SqliteUnavailableError(`cannot be loaded (${(error as Error).message})`, { cause: error });
  }
  const major = Number(version.split(".")[0]);
  if (major !== SUPPORTED_MAJOR) {
    throw new SqliteUnavailableError(`is installed at version ${version}; this release imports with ${SUPPORTED_MAJOR}.x (13 and later need a newer Node than 20)`);
  }
  let Database: SqliteDatabaseConstructor;
  try {
    Database = (await import("better-sqlite3")).default;
  } catch (error) {
    throw new SqliteUnavailableError(`cannot be loaded (${(error as Error).message.split("\n")[0]})`, { cause: error });
  }
  try {
    new Database(":memory:").close();
  } catch (error) {
    // "Could not locate the bindings file" (never built), ERR_DLOPEN_FAILED (built for another Node).
    const first = (error as Error).message.split("\n")[0] ?? "";
    throw new SqliteUnavailableError(`is installed but its native module is not usable: it was not built, or was built for another Node (${first})`, { cause: error });
  }
  return Database;
}
