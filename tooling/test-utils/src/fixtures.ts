// Resolves files in the repository's own fixtures/ (copied from the
// reference system; tests never read ../shared at run time).
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("../../../fixtures/", import.meta.url));

export function fixturePath(...segments: string[]): string {
  return join(root, ...segments);
}
