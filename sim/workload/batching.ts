// A client-side batching policy (Kinesis PutRecords, Kafka batch.size/linger.ms, SQS
// SendMessageBatch): records join the open batch until it holds maxRecords or the next record would
// pass maxBytes, or until linger has passed since its first record. System models configure it from
// their `producer:` blocks and keep one per destination where the client does (Kafka: per partition).
//
// The workload is known ahead of simulated time (it does not depend on the systems), so a model
// feeds records before their creation time and the batcher reports each batch with the time it
// closes; closing times never precede the records that caused them.

export interface BatchPolicy {
  maxRecords: number;
  maxBytes: number;
  lingerUs: number;
}

export interface Batch {
  /** When the client sends it: when it filled, or first record + linger. */
  closeUs: number;
  count: number;
  bytes: number;
  timeUs: Float64Array;
  keyIndex: Float64Array;
  sizeBytes: Float64Array;
}

const spareBatchesMax = 64;

export class Batcher {
  private open: Batch | null = null;
  private deadlineUs = Infinity;
  /** Batches handed back after use, reused so that a busy client allocates no arrays per call. */
  private readonly spare: Batch[] = [];

  constructor(
    private readonly policy: BatchPolicy,
    private readonly onClose: (batch: Batch) => void,
  ) {
    if (!(policy.maxRecords >= 1 && policy.maxBytes >= 1 && policy.lingerUs >= 0)) {
      throw new RangeError(`invalid batch policy ${JSON.stringify(policy)}`);
    }
  }

  /** Linger deadline of the open batch; Infinity when no batch is open. */
  get openDeadlineUs(): number {
    return this.deadlineUs;
  }

  /** Records in the open batch. */
  get openCount(): number {
    return this.open?.count ?? 0;
  }

  /** Adds a record; records must come in non-decreasing creation time. */
  add(timeUs: number, keyIndex: number, sizeBytes: number): void {
    if (this.open !== null && this.deadlineUs <= timeUs) this.close(this.deadlineUs);
    if (this.open !== null && this.open.bytes + sizeBytes > this.policy.maxBytes) this.close(timeUs);
    const batch = this.open ?? this.start(timeUs);
    if (batch.count === batch.timeUs.length) this.grow(batch);
    const i = batch.count++;
    batch.timeUs[i] = timeUs;
    batch.keyIndex[i] = keyIndex;
    batch.sizeBytes[i] = sizeBytes;
    batch.bytes += sizeBytes;
    if (batch.count === this.policy.maxRecords) this.close(timeUs);
  }

  /**
   * Adds records [0, count) of the arrays in order: the same batches, closed at the same times, as add()
   * for each of them, with the open batch's state held in locals between closes.
   */
  addAll(timeUs: Float64Array, keyIndex: Float64Array, sizeBytes: Float64Array, count: number): void {
    const { maxRecords, maxBytes } = this.policy;
    let i = 0;
    while (i < count) {
      const first = timeUs[i];
      if (this.open !== null && this.deadlineUs <= first) this.close(this.deadlineUs);
      if (this.open !== null && this.open.bytes + sizeBytes[i] > maxBytes) this.close(first);
      const batch = this.open ?? this.start(first);
      const deadlineUs = this.deadlineUs;
      // Records join this batch until one is due after its deadline, would pass maxBytes, or fills it.
      let n = batch.count;
      let bytes = batch.bytes;
      let closeUs = -1;
      while (i < count) {
        const t = timeUs[i];
        const size = sizeBytes[i];
        if (n > 0 && (deadlineUs <= t || bytes + size > maxBytes)) break;
        if (n === batch.timeUs.length) {
          batch.count = n;
          this.grow(batch);
        }
        batch.timeUs[n] = t;
        batch.keyIndex[n] = keyIndex[i];
        batch.sizeBytes[n] = size;
        n++;
        bytes += size;
        i++;
        if (n === maxRecords) {
          closeUs = t;
          break;
        }
      }
      batch.count = n;
      batch.bytes = bytes;
      if (closeUs >= 0) this.close(closeUs);
    }
  }

  /** Closes the open batch if its linger ends before `untilUs` (all records before untilUs were added). */
  flushUntil(untilUs: number): void {
    if (this.open !== null && this.deadlineUs < untilUs) this.close(this.deadlineUs);
  }

  /** Closes the open batch now, whatever its deadline (end of run, producer shutdown). */
  flushAt(atUs: number): void {
    if (this.open !== null) this.close(Math.min(atUs, this.deadlineUs));
  }

  /** Hands a closed batch back once its records are no longer needed (the call was answered). */
  recycle(batch: Batch): void {
    if (this.spare.length < spareBatchesMax) this.spare.push(batch);
  }

  private start(timeUs: number): Batch {
    this.open = this.spare.pop() ?? this.newBatch();
    this.open.count = 0;
    this.open.bytes = 0;
    this.deadlineUs = timeUs + this.policy.lingerUs;
    return this.open;
  }

  /** Arrays start small and double: a policy bounded by bytes may allow many records. */
  private newBatch(): Batch {
    const capacity = Math.min(this.policy.maxRecords, 32);
    return { closeUs: 0, count: 0, bytes: 0, timeUs: new Float64Array(capacity), keyIndex: new Float64Array(capacity), sizeBytes: new Float64Array(capacity) };
  }

  private grow(batch: Batch): void {
    const capacity = Math.min(this.policy.maxRecords, batch.timeUs.length * 2);
    const copy = (source: Float64Array): Float64Array => {
      const target = new Float64Array(capacity);
      target.set(source);
      return target;
    };
    batch.timeUs = copy(batch.timeUs);
    batch.keyIndex = copy(batch.keyIndex);
    batch.sizeBytes = copy(batch.sizeBytes);
  }

  private close(atUs: number): void {
    const batch = this.open!;
    batch.closeUs = atUs;
    this.open = null;
    this.deadlineUs = Infinity;
    this.onClose(batch);
  }
}
