// Where an earlier import into a log stopped, read from the log itself: its
// newest event that is a row of this database, found by reading the log
// backwards. Nothing is kept per event of the log, so a re-run costs a look
// at the tail, not a pass over (or an index of) every event.
import { queryEvents } from "@telemetry/reader";
import { comparePositions, type LegacyDatabase, type RowPosition } from "./legacy-database.js";

export interface ResumePoint {
  /** Import the rows after this one (from the first row when undefined)... */
  readonly after: RowPosition | undefined;
  /** ...except these, already in the log past `after`: at most `window` ids and the interleaved events of other writers. */
  readonly present: ReadonlySet<string>;
}

/**
 * Reads the log (and its rotated files) newest first for the newest event
 * that is a row of `db`. Rows before it in import order were appended before
 * it, and all of them were fdatasync'd before it was written, except within
 * the last unsynced writes, which a crash (or a power loss) may have left
 * with gaps. So the import resumes `window` rows before it, skipping the
 * ids found in the log within that window: bounded memory, and exact even
 * when the tail was damaged.
 * `onEvent` is called for every event read (progress).
 */
export async function findResumePoint(path: string, db: LegacyDatabase, window: number, onEvent: (read: number) => void): Promise<ResumePoint> {
  const present = new Set<string>();
  let floor: RowPosition | undefined;
  let found = false;
  // Rows in (floor, newest] still to see; once all are seen, nothing older matters.
  let missing = 0;
  let read = 0;
  // Damaged lines hold no event: their rows are imported again, unless seen intact.
  for await (const event of queryEvents(path, { order: "desc", event: "cost_update", onInvalid: () => undefined })) {
    onEvent(++read);
    const position = db.positionOf(event.event_id);
    if (position === undefined) continue;
    if (!found) {
      found = true;
      floor = db.positionBefore(position, window);
      missing = db.countAfter(floor) - db.countAfter(position);
    }
    if (floor !== undefined && comparePositions(position, floor) <= 0) break;
    if (!present.has(event.event_id)) {
      present.add(event.event_id);
      if (--missing === 0) break;
    }
  }
  return { after: floor, present };
}
