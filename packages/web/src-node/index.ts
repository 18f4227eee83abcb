// For servers (Node): where the built page's files are. The page itself
// lives in dist/ and is plain static files.
import { fileURLToPath } from "node:url";

/** Absolute path of the directory holding `index.html` and `assets/`. */
export const webRoot: string = fileURLToPath(new URL("../dist/", import.meta.url));

export type * from "./http-api.js";
