// The packages a user can install: every non-private packages/* directory,
// found at run time so packages added later are checked without edits here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPOSITORY_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The repository every package.json and README points to (a placeholder until the project has its public home). */
export const REPOSITORY_URL = "https://github.com/telemetry-dev/telemetry";

/** Node versions that can `require()` an ES module without a flag. */
export const NODE_ENGINES = ">=20.19";

export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly type?: string;
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
  readonly keywords?: readonly string[];
  readonly engines?: { readonly node?: string };
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly bin?: Readonly<Record<string, string>>;
  readonly files?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

export interface PublishablePackage {
  /** Absolute directory, e.g. /repo/packages/writer. */
  readonly dir: string;
  /** Directory relative to the repository root, e.g. packages/writer. */
  readonly relativeDir: string;
  readonly manifest: PackageManifest;
}

export function publishablePackages(root: string = REPOSITORY_ROOT): PublishablePackage[] {
  const packagesDir = join(root, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, "package.json")))
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageManifest;
      return { dir, relativeDir: `packages/${entry.name}`, manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/** The subpaths of `exports` a user can load (`"."` becomes the bare name), e.g. `@telemetry/reader/parser`. */
export function exportSpecifiers(manifest: PackageManifest): string[] {
  return Object.keys(manifest.exports ?? {}).map((key) => (key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}
