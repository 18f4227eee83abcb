// One way to connect to the fleet's NATS servers: the caller's client options
// (token, user/password, credentials, TLS, ...) pass through unchanged; the
// shipper only adds "never give up reconnecting".
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";

// For a credentials file (JWT + NKey seed): `connection: { authenticator: credsAuthenticator(readFileSync(file)) }`.
export { credsAuthenticator } from "@nats-io/transport-node";

/** The client's own connection options, passed to `connect()` unchanged (see @nats-io/transport-node). */
export type NatsClientOptions = Omit<NodeConnectionOptions, "servers">;

export interface FleetConnectionOptions {
  /** Server URLs, e.g. `"nats://127.0.0.1:4222"` or several of a cluster. */
  readonly servers: string | readonly string[];
  /** Authentication, TLS and any other client option, unchanged. Reconnection defaults to forever. */
  readonly connection?: NatsClientOptions;
}

export async function connectFleet(options: FleetConnectionOptions): Promise<NatsConnection> {
  const servers = typeof options.servers === "string" ? [options.servers] : [...options.servers];
  return connect({
    // Retry forever, from the first attempt on: a shipper started before its server must wait, not exit.
    maxReconnectAttempts: -1,
    waitOnFirstConnect: true,
    reconnectTimeWait: 1_000,
    reconnectJitter: 500,
    ...options.connection,
    servers,
  });
}
