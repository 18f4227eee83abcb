export { shipLog, type ShipOptions, type ShipStats, type ShipState, type ShipStateChange, type Shipper } from "./ship-log.js";
export { openFleetCursor, type FleetCursor, type FleetCursorEntry, type FleetPollResult, type FleetPosition, type FleetReadOptions, type InvalidFleetMessage } from "./fleet-cursor.js";
export { readFleet, followFleet, type FleetEvent, type FollowFleetOptions } from "./read-fleet.js";
export { ensureFleetStream, subjectMatches, DEFAULT_DUPLICATE_WINDOW_MS, type FleetStreamOptions } from "./fleet-stream.js";
export { connectFleet, credsAuthenticator, type FleetConnectionOptions, type NatsClientOptions } from "./fleet-connection.js";
export { defaultSubject, subjectToken, DEFAULT_STREAM, DEFAULT_SUBJECT_PREFIX, CHECKPOINT_HEADER, HOST_HEADER, MSG_ID_HEADER } from "./fleet-headers.js";
export { isNatsSource, parseNatsSource, type NatsSource } from "./nats-source.js";
export {
  StreamConfigMismatchError,
  EventTooLargeError,
  SubjectConflictError,
  InvalidNatsSourceError,
  FleetStreamNotFoundError,
  type StreamConfigDifference,
} from "./ship-errors.js";
