export { startTelemetryServer, CONTENT_SECURITY_POLICY, type TelemetryServer, type TelemetryServerOptions } from "./start-server.js";
export type { EventSource, SourceList, CursorFactory, CursorStart } from "./event-source.js";
export { LiveHub, type LiveHubOptions, type HubEntry } from "./live-hub.js";
export { encodePositionToken, decodePositionToken, type Position } from "./position-token.js";
export { isLoopbackHost } from "./request-auth.js";
export { runStatus } from "./api-views.js";
export type { RunStatus, RunView, RunsPage, RunDetail, CostsBody, TaskView, ExecutionView, PhaseView, FailureView, TaskOutcome } from "@telemetry/web";
export { InvalidPositionTokenError, ServerOptionError, BadRequestError } from "./errors.js";
export { logFileSource, logFileSources, directorySources, RUN_LOG_NAME } from "./log-sources.js";
