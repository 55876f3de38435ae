// Replays a checked trace as a producer's record sequence, streamed: rows are read as simulated time
// needs them and held only while the reorder window may still put an earlier row before them.
//
// A row at trace time t in loop pass k is replayed at floor((t - origin + k * period) / speed)
// microseconds of simulated time. The period is the window's length, so pass k + 1 starts exactly one
// period after pass k: no gap, no overlap. With `scale`, each row is sent floor(scale) times, plus once
// more with probability frac(scale) (one draw per row from the producer's named stream): copy j > 0 of
// a row carries the twin key j of its key, so the copies form a new key population with the trace's
// distribution; below 1 the same draw thins the trace.

import assert from "node:assert/strict";
import type { Uniform } from "../../engine/index.ts";
import { TraceRows, type TraceFormat } from "./rows.ts";
import { hasExtras, rowIdentity } from "./scan.ts";
import { formatDurationUs } from "../../units/index.ts";

/** Rows the reorder buffer may hold at once (20 bytes each): a limit on memory, whatever the window. */
export const TRACE_REORDER_ROWS_MAX = 4 * 1024 * 1024;

export interface TraceReplaySpec {
  /** The resolved file path. */
  file: string;
  format: TraceFormat;
  /** Trace time (µs since the epoch) replayed at simulated time 0. */
  originUs: number;
  /** Rows at or after this trace time are left out (null: none). */
  endUs: number | null;
  /** Length of one pass (µs of trace time): the next pass starts this much later. */
  periodUs: number;
  loop: boolean;
  speed: number;
  scale: number;
  reorderWindowUs: number;
  /** The scan's key dictionary: key text -> index. */
  indexByKey: ReadonlyMap<string, number>;
}

/** Twin key j of a key (scale above 1): the key with "#j" appended. */
export function twinKey(key: string, copy: number): string {
  return copy === 0 ? key : `${key}#${copy}`;
}

/** Copies of a row at most (1 when the trace is not scaled up). */
export function copiesMax(scale: number): number {
  return Math.max(1, Math.ceil(scale));
}

export class TraceReplay {
  private rows: TraceRows;
  private pass = 0;
  private rowsThisPass = 0;
  private ended = false;
  private latestUs = -Infinity;
  // The reorder buffer, sorted by time (ties in file order): offsets from the origin, key indexes, sizes.
  private times = new Float64Array(4096);
  private keys = new Int32Array(4096);
  private sizes = new Float64Array(4096);
  private head = 0;
  private tail = 0;
  // The row being sent and how many copies are left.
  private currentUs = Infinity;
  private currentKey = 0;
  private currentSize = 0;
  private copiesLeft = 0;
  private copyIndex = 0;
  private readonly wholeCopies: number;
  private readonly extraCopyChance: number;
  private readonly distinctKeys: number;
  private readonly extras: boolean;

  constructor(
    private readonly spec: TraceReplaySpec,
    private readonly durationUs: number,
    private readonly scaleU: Uniform,
  ) {
    assert(spec.speed > 0 && spec.scale > 0 && spec.periodUs > 0, "trace speed, scale and period must be positive");
    this.wholeCopies = Math.floor(spec.scale);
    this.extraCopyChance = spec.scale - this.wholeCopies;
    this.distinctKeys = spec.indexByKey.size;
    this.extras = hasExtras(spec.format);
    this.rows = new TraceRows(spec.file, spec.format);
    this.advance();
  }

  /** Simulated time of the next record; Infinity when there is none. */
  peekTimeUs(): number {
    return this.currentUs;
  }

  /** Writes records before untilUs into the arrays from `offset`, at most `capacity - offset`; returns how many. */
  fill(untilUs: number, timeUs: Float64Array, keyIndex: Float64Array, sizeBytes: Float64Array, offset: number, capacity: number): number {
    let count = offset;
    while (this.currentUs < untilUs && count < capacity) {
      timeUs[count] = this.currentUs;
      keyIndex[count] = this.copyIndex * this.distinctKeys + this.currentKey;
      sizeBytes[count] = this.currentSize;
      count++;
      this.copyIndex++;
      if (--this.copiesLeft === 0) this.advance();
    }
    return count - offset;
  }

  close(): void {
    this.rows.close();
    this.ended = true;
  }

  /** Moves to the next row that is sent at least once, or to the end. */
  private advance(): void {
    for (;;) {
      if (!this.ready()) {
        this.currentUs = Infinity;
        this.rows.close();
        return;
      }
      const offsetUs = this.times[this.head];
      this.currentKey = this.keys[this.head];
      this.currentSize = this.sizes[this.head];
      this.head++;
      const simUs = Math.floor(offsetUs / this.spec.speed);
      if (simUs >= this.durationUs) {
        this.currentUs = Infinity;
        this.rows.close();
        return;
      }
      const copies = this.wholeCopies + (this.extraCopyChance > 0 && this.scaleU() < this.extraCopyChance ? 1 : 0);
      if (copies === 0) continue;
      this.currentUs = simUs;
      this.copiesLeft = copies;
      this.copyIndex = 0;
      return;
    }
  }

  /** Reads until the buffer's first row can no longer be preceded by a row still unread; false when empty. */
  private ready(): boolean {
    while (!this.ended && (this.head === this.tail || this.times[this.head] > this.latestUs - this.spec.reorderWindowUs)) this.readRow();
    return this.head < this.tail;
  }

  private readRow(): void {
    const rows = this.rows;
    if (!rows.next()) {
      if (rows.issues.length > 0) throw new Error(`${this.spec.file}:${rows.issues[0].line}: ${rows.issues[0].message} (the trace changed after it was checked)`);
      this.endPass();
      return;
    }
    const t = rows.timeUs;
    if (t < this.spec.originUs || (this.spec.endUs !== null && t >= this.spec.endUs)) return;
    const key = this.spec.indexByKey.get(rowIdentity(rows, this.extras));
    if (key === undefined) throw new Error(`${this.spec.file}:${rows.line}: key not seen when the trace was checked (the trace changed after it was checked)`);
    this.rowsThisPass++;
    this.insert(t - this.spec.originUs + this.pass * this.spec.periodUs, key, rows.sizeBytes);
  }

  private endPass(): void {
    this.rows.close();
    const next = this.pass + 1;
    if (!this.spec.loop || this.rowsThisPass === 0 || (next * this.spec.periodUs) / this.spec.speed >= this.durationUs) {
      this.ended = true;
      return;
    }
    this.pass = next;
    this.rowsThisPass = 0;
    this.rows = new TraceRows(this.spec.file, this.spec.format);
  }

  /** Inserts a row keeping the buffer sorted by time, after rows of the same time. */
  private insert(offsetUs: number, key: number, sizeBytes: number): void {
    if (this.tail === this.times.length) this.makeRoom();
    let i = this.tail;
    const times = this.times;
    while (i > this.head && times[i - 1] > offsetUs) {
      times[i] = times[i - 1];
      this.keys[i] = this.keys[i - 1];
      this.sizes[i] = this.sizes[i - 1];
      i--;
    }
    times[i] = offsetUs;
    this.keys[i] = key;
    this.sizes[i] = sizeBytes;
    this.tail++;
    if (offsetUs > this.latestUs) this.latestUs = offsetUs;
  }

  private makeRoom(): void {
    const held = this.tail - this.head;
    if (held * 2 <= this.times.length) {
      this.times.copyWithin(0, this.head, this.tail);
      this.keys.copyWithin(0, this.head, this.tail);
      this.sizes.copyWithin(0, this.head, this.tail);
    } else {
      const capacity = this.times.length * 2;
      if (capacity > TRACE_REORDER_ROWS_MAX) {
        throw new Error(`${this.spec.file}: more than ${TRACE_REORDER_ROWS_MAX} rows fall within the reorder window of ${formatDurationUs(this.spec.reorderWindowUs)}; narrow trace.reorderWindow`);
      }
      const grow = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
        to.set(from.subarray(this.head, this.tail));
        return to;
      };
      this.times = grow(this.times, new Float64Array(capacity));
      this.keys = grow(this.keys, new Int32Array(capacity));
      this.sizes = grow(this.sizes, new Float64Array(capacity));
    }
    this.tail = held;
    this.head = 0;
  }
}
