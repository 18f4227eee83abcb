export { testdir } from "./testdir.js";
export { withTmpfs, type TmpfsHandle } from "./tmpfs.js";
export { fixturePath } from "./fixtures.js";
export { withoutSqliteEngine } from "./without-sqlite-engine.js";
export { connectSse, type SseConnection, type SseMessage } from "./sse-client.js";
