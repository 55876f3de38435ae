// The key group of each record of one shard or partition, by sequence number: written as the record
// is appended (its key is known then, docs/reference.md §8.2), read when the source hands the record on.
// It holds the record's key group (its subtask at the current parallelism is a table lookup, so a
// rescale changes nothing here): one byte per record (two above 256 key groups), kept from the oldest
// record a reader may still need (the last checkpoint's position, docs/reference.md §8.6).

import { invariant } from "../engine/index.ts";

/** Records one store may hold (the backlog of one shard or partition): beyond it a run is refused, not slowed. */
export const subtaskStoreRecordsMax = 256 * 1024 * 1024;

export class SubtaskStore {
  private values: Uint8Array | Uint16Array | Uint32Array;
  /** Sequence number of values[head]. */
  private baseSeq = 0;
  private head = 0;
  private length = 0;

  constructor(
    private readonly wide: boolean,
    /** Sequence number of the first record the store will be told of. */
    firstSeq = 0,
  ) {
    this.values = this.allocate(1024);
    this.baseSeq = firstSeq;
  }

  /** Sequence number the next appended record must have. */
  get nextSeq(): number {
    return this.baseSeq + this.length;
  }

  append(seq: number, subtask: number): void {
    invariant(seq === this.baseSeq + this.length, "records reach the subtask store in sequence order");
    this.push(subtask);
  }

  /** Appends the value of the record at nextSeq (the caller keeps the order: see append). */
  push(subtask: number): void {
    let at = this.head + this.length;
    if (at === this.values.length) {
      this.makeRoom();
      at = this.head + this.length;
    }
    this.values[at] = subtask;
    this.length++;
  }

  at(seq: number): number {
    const offset = seq - this.baseSeq;
    invariant(offset >= 0 && offset < this.length, "a record's subtask is asked for while the store holds it");
    return this.values[this.head + offset]!;
  }

  /**
   * The values of [startSeq, endSeq) for a loop over a batch (no lookup per record): values[index + k] is
   * record startSeq + k's. Valid until the next append or drop.
   */
  span(startSeq: number, endSeq: number): { values: ArrayLike<number>; index: number } {
    const offset = startSeq - this.baseSeq;
    invariant(offset >= 0 && endSeq - this.baseSeq <= this.length, "a batch's records are asked for while the store holds them");
    return { values: this.values, index: this.head + offset };
  }

  /** Forgets records before seq (no reader needs them again). */
  dropBefore(seq: number): void {
    const drop = Math.min(Math.max(0, seq - this.baseSeq), this.length);
    this.head += drop;
    this.length -= drop;
    this.baseSeq += drop;
  }

  protected allocate(size: number): Uint8Array | Uint16Array | Uint32Array {
    return this.wide ? new Uint16Array(size) : new Uint8Array(size);
  }

  private makeRoom(): void {
    if (this.head > 0 && this.length <= this.values.length / 2) {
      this.values.copyWithin(0, this.head, this.head + this.length);
      this.head = 0;
      return;
    }
    const size = this.values.length * 2;
    if (size > subtaskStoreRecordsMax) {
      throw new Error(`a Flink source holds more than ${subtaskStoreRecordsMax} unread records of one shard or partition: shorten the run or give the application more capacity`);
    }
    const grown = this.allocate(size);
    grown.set(this.values.subarray(this.head, this.head + this.length));
    this.values = grown;
    this.head = 0;
  }
}

/** The key slot of each record (session windows keep state per key, docs/reference.md §8.5): four bytes per record. */
export class KeySlotStore extends SubtaskStore {
  constructor(firstSeq = 0) {
    super(true, firstSeq);
  }

  protected override allocate(size: number): Uint32Array {
    return new Uint32Array(size);
  }
}
