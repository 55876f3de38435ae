// Event-time session windows behind keyBy (docs/reference.md §8.5): every record opens the window
// [t, t + gap) (EventTimeSessionWindows.assignWindows) and merges with each window of its key it
// touches (TimeWindow.intersects: start <= other end and end >= other start), so a key's session ends
// once an inter-arrival exceeds the gap. A session fires when the subtask's watermark reaches its end
// - 1 ms (EventTimeTrigger on TimeWindow.maxTimestamp) and is then dropped. A record whose own window
// merges with no live session and whose window end - 1 ms + allowed lateness is at or below the
// watermark is late (WindowOperator.isWindowLate on the merged window) and dropped (counted).
//
// State is per key, not per record: typed arrays indexed by key slot (a key's index into its key
// space, offset per key space) hold the key's newest live session; an indexed min-heap per subtask
// orders the live sessions by end. A record that starts a newer session while the older one waits
// for the watermark (possible with out-of-order shards) detaches the older one into a per-subtask heap
// of its own; a detached session no longer merges (a simplification: Flink would still merge it with
// a record bridging the two). Memory grows with the live sessions, never with the records.

import { invariant } from "../engine/index.ts";
import { GaugeSeries, LogHistogram, type SeriesOptions } from "../metrics/index.ts";

/** A key slot's and a detached session's values in a snapshot: [slot, startUs, endUs, records, ...]. */
export type SessionSnapshot = number[];

/** What the sessions measure for the application. */
export class SessionMeter {
  /** Last event time + gap - first event time, per session fired. */
  readonly lengthUs = new LogHistogram();
  readonly recordsPerSession = new LogHistogram();
  readonly activeSessions: GaugeSeries;
  activeSessionsPeak = 0;

  constructor(seriesOptions: SeriesOptions) {
    this.activeSessions = new GaugeSeries(seriesOptions);
    this.activeSessions.set(0, 0);
  }
}

/** An indexed min-heap of key slots by their session's end (one per subtask). */
class EndHeap {
  slots = new Int32Array(64);
  size = 0;
}

export class SessionWindows {
  private startUs = new Float64Array(0);
  private endUs = new Float64Array(0);
  private records = new Float64Array(0);
  /** Position of a slot in its subtask's heap, or -1 without a live session. */
  private heapPos = new Int32Array(0);
  private heaps: EndHeap[] = [];
  /** Per subtask, detached sessions as a binary heap by end of [endUs, startUs, records, slot] quads. */
  private detached: number[][] = [];
  private active = 0;
  readonly meter: SessionMeter;

  constructor(
    readonly gapUs: number,
    readonly allowedLatenessUs: number,
    parallelism: number,
    seriesOptions: SeriesOptions,
  ) {
    invariant(gapUs > 0, "a session gap is positive");
    this.meter = new SessionMeter(seriesOptions);
    this.setParallelism(parallelism);
  }

  /** Live sessions (attached and detached), the state a checkpoint writes. */
  get activeSessions(): number {
    return this.active;
  }

  /** Records in the live sessions (not fired yet). */
  get openRecords(): number {
    let total = 0;
    for (const heap of this.heaps) for (let i = 0; i < heap.size; i++) total += this.records[heap.slots[i]!]!;
    for (const detached of this.detached) for (let i = 2; i < detached.length; i += 4) total += detached[i]!;
    return total;
  }

  /** Makes room for key slots below `slots`. */
  ensureSlots(slots: number): void {
    if (slots <= this.startUs.length) return;
    const size = Math.max(slots, this.startUs.length * 2, 1024);
    const grow = <T extends Float64Array | Int32Array>(old: T, fresh: T, fill: number): T => {
      fresh.fill(fill);
      fresh.set(old);
      return fresh;
    };
    this.startUs = grow(this.startUs, new Float64Array(size), NaN);
    this.endUs = grow(this.endUs, new Float64Array(size), NaN);
    this.records = grow(this.records, new Float64Array(size), 0);
    this.heapPos = grow(this.heapPos, new Int32Array(size), -1);
  }

  /** Empties every subtask's sessions and sizes for `parallelism` subtasks. */
  setParallelism(parallelism: number): void {
    this.heaps = Array.from({ length: parallelism }, () => new EndHeap());
    this.detached = Array.from({ length: parallelism }, () => []);
    this.startUs.fill(NaN);
    this.endUs.fill(NaN);
    this.records.fill(0);
    this.heapPos.fill(-1);
    this.active = 0;
  }

  /**
   * Adds records [slot, eventUs, slot, eventUs, ...] at a subtask whose watermark is watermarkUs.
   * Returns how many were late (dropped).
   */
  addAll(subtask: number, list: readonly number[], watermarkUs: number): number {
    let late = 0;
    for (let i = 0; i < list.length; i += 2) if (!this.add(subtask, list[i]!, list[i + 1]!, watermarkUs)) late++;
    return late;
  }

  /** One record of a key slot: merged into its live session, or a session of its own; false when late. */
  add(subtask: number, slot: number, eventUs: number, watermarkUs: number): boolean {
    const gapUs = this.gapUs;
    const startUs = this.startUs[slot]!;
    const endUs = this.endUs[slot]!;
    const live = this.heapPos[slot]! >= 0;
    if (live && eventUs <= endUs && eventUs + gapUs >= startUs) {
      if (eventUs < startUs) this.startUs[slot] = eventUs;
      this.records[slot]!++;
      if (eventUs + gapUs > endUs) {
        this.endUs[slot] = eventUs + gapUs;
        this.siftDown(this.heaps[subtask]!, this.heapPos[slot]!);
      }
      return true;
    }
    if (eventUs + gapUs - 1000 + this.allowedLatenessUs <= watermarkUs) return false;
    this.active++;
    if (!live) {
      this.open(subtask, slot, eventUs);
      return true;
    }
    if (eventUs > endUs) {
      // A newer session while the older one waits for the watermark: the older one is detached.
      this.pushDetached(subtask, endUs, startUs, this.records[slot]!, slot);
      this.startUs[slot] = eventUs;
      this.endUs[slot] = eventUs + gapUs;
      this.records[slot] = 1;
      this.siftDown(this.heaps[subtask]!, this.heapPos[slot]!);
      return true;
    }
    // Wholly before the live session: a session of its own.
    this.pushDetached(subtask, eventUs + gapUs, eventUs, 1, slot);
    return true;
  }

  /** The subtask's watermark reaches watermarkUs: sessions whose end - 1 ms it passes fire, earliest end first. */
  advance(subtask: number, watermarkUs: number, nowUs: number, fired: (endUs: number, nowUs: number, records: number) => void): void {
    const heap = this.heaps[subtask]!;
    const detached = this.detached[subtask]!;
    const before = this.active;
    for (;;) {
      const attachedEndUs = heap.size > 0 ? this.endUs[heap.slots[0]!]! : Infinity;
      const detachedEndUs = detached.length > 0 ? detached[0]! : Infinity;
      const endUs = Math.min(attachedEndUs, detachedEndUs);
      if (!(endUs - 1000 <= watermarkUs)) break;
      let startUs: number;
      let records: number;
      if (attachedEndUs <= detachedEndUs) {
        const slot = heap.slots[0]!;
        startUs = this.startUs[slot]!;
        records = this.records[slot]!;
        this.removeTop(heap);
        this.startUs[slot] = NaN;
        this.endUs[slot] = NaN;
        this.records[slot] = 0;
      } else {
        startUs = detached[1]!;
        records = detached[2]!;
        this.popDetached(detached);
      }
      this.active--;
      this.meter.lengthUs.add(endUs - startUs, 1);
      this.meter.recordsPerSession.add(records, 1);
      fired(endUs, nowUs, records);
    }
    if (this.active !== before) this.meter.activeSessions.set(nowUs, this.active);
  }

  /** Notes the live-session count after records were added. */
  noteActive(nowUs: number): void {
    this.meter.activeSessions.set(nowUs, this.active);
    if (this.active > this.meter.activeSessionsPeak) this.meter.activeSessionsPeak = this.active;
  }

  /** A subtask's live sessions as a checkpoint writes them. */
  snapshot(subtask: number): SessionSnapshot {
    const out: SessionSnapshot = [];
    const heap = this.heaps[subtask]!;
    for (let i = 0; i < heap.size; i++) {
      const slot = heap.slots[i]!;
      out.push(slot, this.startUs[slot]!, this.endUs[slot]!, this.records[slot]!);
    }
    const detached = this.detached[subtask]!;
    for (let i = 0; i < detached.length; i += 4) out.push(-1 - detached[i + 3]!, detached[i + 1]!, detached[i]!, detached[i + 2]!);
    return out;
  }

  /** Restores snapshots taken at any parallelism: each session goes to its key's subtask now. */
  restore(snapshots: ReadonlyArray<SessionSnapshot | null>, parallelism: number, subtaskOfSlot: (slot: number) => number, nowUs: number): void {
    this.setParallelism(parallelism);
    for (const snapshot of snapshots) {
      if (snapshot === null) continue;
      for (let i = 0; i < snapshot.length; i += 4) {
        const encoded = snapshot[i]!;
        const slot = encoded >= 0 ? encoded : -1 - encoded;
        const subtask = subtaskOfSlot(slot);
        this.active++;
        if (encoded < 0) {
          this.pushDetached(subtask, snapshot[i + 2]!, snapshot[i + 1]!, snapshot[i + 3]!, slot);
          continue;
        }
        this.startUs[slot] = snapshot[i + 1]!;
        this.endUs[slot] = snapshot[i + 2]!;
        this.records[slot] = snapshot[i + 3]!;
        this.push(this.heaps[subtask]!, slot);
      }
    }
    this.meter.activeSessions.set(nowUs, this.active);
  }

  private open(subtask: number, slot: number, eventUs: number): void {
    this.startUs[slot] = eventUs;
    this.endUs[slot] = eventUs + this.gapUs;
    this.records[slot] = 1;
    this.push(this.heaps[subtask]!, slot);
  }

  private push(heap: EndHeap, slot: number): void {
    if (heap.size === heap.slots.length) {
      const grown = new Int32Array(heap.slots.length * 2);
      grown.set(heap.slots);
      heap.slots = grown;
    }
    heap.slots[heap.size] = slot;
    this.heapPos[slot] = heap.size;
    heap.size++;
    this.siftUp(heap, heap.size - 1);
  }

  private removeTop(heap: EndHeap): void {
    const top = heap.slots[0]!;
    this.heapPos[top] = -1;
    heap.size--;
    if (heap.size === 0) return;
    const last = heap.slots[heap.size]!;
    heap.slots[0] = last;
    this.heapPos[last] = 0;
    this.siftDown(heap, 0);
  }

  private siftUp(heap: EndHeap, at: number): void {
    const slots = heap.slots;
    const slot = slots[at]!;
    const endUs = this.endUs[slot]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const other = slots[parent]!;
      if (this.endUs[other]! <= endUs) break;
      slots[at] = other;
      this.heapPos[other] = at;
      at = parent;
    }
    slots[at] = slot;
    this.heapPos[slot] = at;
  }

  /** Restores order below `at` after its end grew. */
  private siftDown(heap: EndHeap, at: number): void {
    const slots = heap.slots;
    const slot = slots[at]!;
    const endUs = this.endUs[slot]!;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= heap.size) break;
      if (child + 1 < heap.size && this.endUs[slots[child + 1]!]! < this.endUs[slots[child]!]!) child++;
      const other = slots[child]!;
      if (this.endUs[other]! >= endUs) break;
      slots[at] = other;
      this.heapPos[other] = at;
      at = child;
    }
    slots[at] = slot;
    this.heapPos[slot] = at;
  }

  private pushDetached(subtask: number, endUs: number, startUs: number, records: number, slot: number): void {
    const heap = this.detached[subtask]!;
    heap.push(endUs, startUs, records, slot);
    let at = heap.length / 4 - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heap[parent * 4]! <= heap[at * 4]!) break;
      swapQuads(heap, at, parent);
      at = parent;
    }
  }

  private popDetached(heap: number[]): void {
    const last = heap.length / 4 - 1;
    swapQuads(heap, 0, last);
    heap.length -= 4;
    const size = heap.length / 4;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[(child + 1) * 4]! < heap[child * 4]!) child++;
      if (heap[child * 4]! >= heap[at * 4]!) break;
      swapQuads(heap, at, child);
      at = child;
    }
  }
}

function swapQuads(heap: number[], a: number, b: number): void {
  for (let k = 0; k < 4; k++) {
    const value = heap[a * 4 + k]!;
    heap[a * 4 + k] = heap[b * 4 + k]!;
    heap[b * 4 + k] = value;
  }
}
