// The six lifecycle event types: the only values the `event` field may take.

export const EventType = {
  TASK_STARTED: "task_started",
  TASK_COMPLETED: "task_completed",
  TASK_FAILED: "task_failed",
  EXECUTION_START: "execution_start",
  EXECUTION_COMPLETE: "execution_complete",
  COST_UPDATE: "cost_update",
} as const;

/** One of the six event type strings. */
export type EventType = (typeof EventType)[keyof typeof EventType];

/** Every event type, in lifecycle order. */
export const EVENT_TYPES: readonly EventType[] = Object.freeze(Object.values(EventType));

export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && (EVENT_TYPES as readonly string[]).includes(value);
}
