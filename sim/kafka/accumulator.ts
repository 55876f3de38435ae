// The Java producer's record accumulator and sender, as they group batches into requests (docs/reference.md
// §3.2): records collect in a batch per partition (batch.size); a leader broker ("node") becomes ready
// when any of its partitions' batches is full or has waited linger.ms, and the sender then drains the
// first batch of *every* partition that node leads into one produce request, up to max.request.size
// (RecordAccumulator.ready / drainBatchesForOneNode). So linger is in effect per node, not per
// partition: under load a request carries several partitions' batches, and a partition's batch often
// leaves before its own linger has passed.
//
// The workload is known ahead of simulated time, so records are added before their creation time
// and each request is reported with the time it is sent. A node's readiness is checked when a record
// for it arrives and when the feed window ends, so no request is sent later than its ready time.
//
// buffer.memory bounds the bytes the client's batches hold from their creation until they are answered
// (each batch takes max(batch.size, its first record) of it, as BufferPool hands out) (docs/reference.md
// §3.2). It is checked against what is known now, before later answers that would free some: a record
// may wait a little longer than it would, never less.

import { invariant, truncate } from "../engine/index.ts";
import { batchHeaderBytes } from "./limits.ts";

export interface AccumulatorPolicy {
  lingerUs: number;
  batchSizeBytes: number;
  maxRequestBytes: number;
  /** buffer.memory: bytes all batches together may take. */
  bufferMemoryBytes: number;
}

/** A partition's batch: its records' creation times, and sums the log and the counts need. */
export interface ProducerBatch {
  partition: number;
  count: number;
  /** Serialized bytes: values, keys and record framing (what batch.size counts). */
  bytes: number;
  /** The records' values alone (what the workload produced). */
  dataBytes: number;
  createSumUs: number;
  /** The records' creation times (producer latency counts from them). */
  timeUs: Float64Array;
  /** When the batch was created in the client (delivery.timeout.ms counts from it). */
  openedUs: number;
  /** buffer.memory the batch holds until it is answered. */
  allocatedBytes: number;
}

/** A produce request leaving the client: batches of several partitions for one node (valid during onRequest only). */
export interface DrainedRequest {
  node: number;
  sendUs: number;
  batches: ProducerBatch[];
}

const spareBatchesMax = 256;
const initialRecords = 16;

export class RecordAccumulator {
  /** Per partition: the open batch, and full batches waiting for their node's next drain. */
  private readonly open: Array<ProducerBatch | null> = [];
  private readonly full: ProducerBatch[][] = [];
  /** The node a partition's waiting records were grouped under (its leader when they arrived); -1 when none wait. */
  private readonly nodeOfWaiting: number[] = [];
  /** Per node: partitions with waiting records (in arrival order), and when the node becomes ready. */
  private readonly waitingPartitions: number[][] = [];
  private readonly readyAtUs: number[] = [];
  private readonly spare: ProducerBatch[] = [];
  /** The request drain hands out, reused (see drain). */
  private readonly drained: DrainedRequest = { node: 0, sendUs: 0, batches: [] };
  /** buffer.memory taken by batches not yet answered. */
  private usedBytes = 0;

  constructor(
    private readonly policy: AccumulatorPolicy,
    partitionCount: number,
    nodeCount: number,
    private readonly onRequest: (request: DrainedRequest) => void,
  ) {
    for (let node = 0; node < nodeCount; node++) {
      this.waitingPartitions.push([]);
      this.readyAtUs.push(Infinity);
    }
    this.partitionsAdded(partitionCount);
  }

  /** Records in batches not yet drained into a request. */
  get waitingCount(): number {
    let count = 0;
    for (let partition = 0; partition < this.open.length; partition++) {
      count += this.open[partition]?.count ?? 0;
      for (const batch of this.full[partition]) count += batch.count;
    }
    return count;
  }

  /** buffer.memory held by batches not yet answered. */
  get bufferedBytes(): number {
    return this.usedBytes;
  }

  /** The topic grew to partitionCount partitions. */
  partitionsAdded(partitionCount: number): void {
    for (let partition = this.open.length; partition < partitionCount; partition++) {
      this.open.push(null);
      this.full.push([]);
      this.nodeOfWaiting.push(-1);
    }
  }

  /**
   * Adds a record for `partition`, whose leader is `node` now; records come in non-decreasing time
   * (`timeUs`, when send() hands it over; `createdUs`, when the workload made it). A node whose ready
   * time has come is drained first, so the record goes into the next request. Returns false, adding
   * nothing, when the record needs a new batch and buffer.memory cannot hold one: send() blocks.
   */
  add(timeUs: number, partition: number, node: number, serializedBytes: number, dataBytes: number, createdUs = timeUs): boolean {
    const waitingNode = this.nodeOfWaiting[partition];
    if (waitingNode >= 0 && this.readyAtUs[waitingNode] <= timeUs) this.drain(waitingNode);
    let batch = this.open[partition];
    // A record that does not fit closes the batch (batch.size), and the node is ready now.
    if (batch !== null && batch.bytes + serializedBytes > this.policy.batchSizeBytes) {
      this.full[partition].push(batch);
      const at = this.nodeOfWaiting[partition];
      this.readyAtUs[at] = Math.min(this.readyAtUs[at], timeUs);
      this.open[partition] = null;
      batch = null;
    }
    const allocatedBytes = Math.max(this.policy.batchSizeBytes, serializedBytes + batchHeaderBytes);
    if (batch === null && this.usedBytes + allocatedBytes > this.policy.bufferMemoryBytes) return false;
    if (this.nodeOfWaiting[partition] < 0) {
      if (this.readyAtUs[node] <= timeUs) this.drain(node);
      this.nodeOfWaiting[partition] = node;
      this.waitingPartitions[node].push(partition);
      this.readyAtUs[node] = Math.min(this.readyAtUs[node], timeUs + this.policy.lingerUs);
    }
    if (batch === null) {
      batch = this.newBatch(partition, timeUs, allocatedBytes);
      this.open[partition] = batch;
    }
    if (batch.count === batch.timeUs.length) {
      const grown = new Float64Array(batch.timeUs.length * 2);
      grown.set(batch.timeUs);
      batch.timeUs = grown;
    }
    batch.timeUs[batch.count++] = createdUs;
    batch.bytes += serializedBytes;
    batch.dataBytes += dataBytes;
    batch.createSumUs += createdUs;
    return true;
  }

  /** Drains every node that becomes ready before untilUs (all records before untilUs were added). */
  flushUntil(untilUs: number): void {
    for (let node = 0; node < this.readyAtUs.length; node++) if (this.readyAtUs[node] < untilUs) this.drain(node);
  }

  /** The producer has no more records: every node is drained by atUs. */
  flushAll(atUs: number): void {
    for (let node = 0; node < this.readyAtUs.length; node++) {
      if (this.waitingPartitions[node].length > 0) this.drain(node, Math.min(atUs, this.readyAtUs[node]));
    }
  }

  /** Hands a batch back once it is answered for good: its buffer.memory is free again. */
  recycle(batch: ProducerBatch): void {
    this.usedBytes -= batch.allocatedBytes;
    invariant(this.usedBytes >= 0, "buffer.memory frees only what batches took");
    if (this.spare.length < spareBatchesMax) this.spare.push(batch);
  }

  private newBatch(partition: number, openedUs: number, allocatedBytes: number): ProducerBatch {
    const batch = this.spare.pop() ?? { partition, count: 0, bytes: 0, dataBytes: 0, createSumUs: 0, timeUs: new Float64Array(initialRecords), openedUs, allocatedBytes };
    this.usedBytes += allocatedBytes;
    batch.partition = partition;
    batch.openedUs = openedUs;
    batch.allocatedBytes = allocatedBytes;
    batch.count = 0;
    batch.bytes = 0;
    batch.dataBytes = 0;
    batch.createSumUs = 0;
    return batch;
  }

  /**
   * Sends the node's waiting batches at its ready time, in requests of at most max.request.size. The
   * request handed to onRequest and its batches array are reused: they are valid during the call only.
   */
  private drain(node: number, atUs = this.readyAtUs[node]): void {
    const waiting = this.waitingPartitions[node];
    this.readyAtUs[node] = Infinity;
    const request = this.drained;
    request.node = node;
    request.sendUs = atUs;
    const batches = request.batches;
    let requestBytes = 0;
    for (let p = 0; p < waiting.length; p++) {
      const partition = waiting[p];
      this.nodeOfWaiting[partition] = -1;
      const full = this.full[partition];
      const open = this.open[partition];
      this.open[partition] = null;
      if (open !== null) full.push(open);
      for (let b = 0; b < full.length; b++) {
        const batch = full[b];
        if (requestBytes > 0 && requestBytes + batch.bytes > this.policy.maxRequestBytes) {
          this.onRequest(request);
          truncate(batches, 0);
          requestBytes = 0;
        }
        batches.push(batch);
        requestBytes += batch.bytes;
      }
      truncate(full, 0);
    }
    // onRequest only schedules: nothing adds to the accumulator while the node drains.
    truncate(waiting, 0);
    if (batches.length > 0) this.onRequest(request);
    truncate(batches, 0);
  }
}
