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
//
// A node that cannot take a request now (canSend: no live leader, the broker down) is not drained, as
// the Sender drains only nodes the NetworkClient is ready for and skips partitions whose leader is
// unknown (Sender.sendProducerData, RecordAccumulator.partitionReady, docs/reference.md §3.2): its
// partitions' open batches keep taking records until batch.size (RecordAccumulator.tryAppend appends
// to the deque's last batch however long it waited). A batch that fills is handed on at once (the
// producer holds it for the leader, as before); the open one stays until the partition has a live
// leader again (leaderAvailable: it goes to the new leader then, at the earliest when its last record
// was handed over) or its delivery.timeout.ms passes.

import { invariant, truncate } from "../engine/index.ts";
import { batchHeaderBytes } from "./limits.ts";

export interface AccumulatorPolicy {
  lingerUs: number;
  batchSizeBytes: number;
  maxRequestBytes: number;
  /** buffer.memory: bytes all batches together may take. */
  bufferMemoryBytes: number;
  /** delivery.timeout.ms: an open batch held for a node that cannot send is handed on by then. */
  deliveryTimeoutUs: number;
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

/**
 * Moves `from`'s records to the end of `into` (the same partition's earlier batch, neither sent), as
 * tryAppend would have appended them there had `into` stayed open; `from` is left to be recycled.
 */
export function joinBatch(into: ProducerBatch, from: ProducerBatch): void {
  const count = into.count + from.count;
  if (count > into.timeUs.length) {
    const grown = new Float64Array(Math.max(count, into.timeUs.length * 2));
    grown.set(into.timeUs.subarray(0, into.count));
    into.timeUs = grown;
  }
  into.timeUs.set(from.timeUs.subarray(0, from.count), into.count);
  into.count = count;
  into.bytes += from.bytes;
  into.dataBytes += from.dataBytes;
  into.createSumUs += from.createSumUs;
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
  /** Per node: found unable to send at its last drain; its open batches keep filling until released. */
  private readonly held: boolean[] = [];
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
    /** Whether the node can take a request now (the client is ready for it and it leads live partitions). */
    private readonly canSend: (node: number) => boolean = () => true,
  ) {
    for (let node = 0; node < nodeCount; node++) {
      this.waitingPartitions.push([]);
      this.readyAtUs.push(Infinity);
      this.held.push(false);
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
    // Held for a node that could not send, while the partition's leader now can: its batches go on.
    else if (waitingNode >= 0 && this.held[waitingNode] && this.canSend(node)) this.release(partition, timeUs);
    let batch = this.open[partition];
    // A record that does not fit closes the batch (batch.size), and the node is ready now.
    if (batch !== null && batch.bytes + serializedBytes > this.policy.batchSizeBytes) {
      const at = this.nodeOfWaiting[partition];
      this.open[partition] = null;
      if (this.held[at]) this.handOn(at, batch, timeUs);
      else {
        this.full[partition].push(batch);
        this.readyAtUs[at] = Math.min(this.readyAtUs[at], timeUs);
      }
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
    for (let node = 0; node < this.readyAtUs.length; node++) {
      if (this.readyAtUs[node] < untilUs) this.drain(node);
      else if (this.held[node]) this.expireHeld(node, untilUs);
    }
  }

  /** The producer has no more records: every node is drained by atUs (a held node's batches are handed on, to be held by the producer). */
  flushAll(atUs: number): void {
    for (let node = 0; node < this.readyAtUs.length; node++) {
      if (this.waitingPartitions[node].length > 0) this.drain(node, Math.min(atUs, this.readyAtUs[node]), true);
    }
  }

  /**
   * The partition has a live leader again (at atUs): batches held for a node that could not send go
   * to it now, or when their last record was handed over if that is later (records are added ahead).
   */
  leaderAvailable(partition: number, atUs: number): void {
    const node = this.nodeOfWaiting[partition];
    if (node >= 0 && this.held[node]) this.release(partition, atUs);
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
  private drain(node: number, atUs = this.readyAtUs[node], force = false): void {
    const waiting = this.waitingPartitions[node];
    this.readyAtUs[node] = Infinity;
    if (!force && !this.canSend(node)) return this.hold(node, atUs);
    this.held[node] = false;
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

  /**
   * The node cannot take a request at atUs: its partitions' full batches are handed on (the producer
   * holds them until their leader is back), their open batches stay and keep taking records.
   */
  private hold(node: number, atUs: number): void {
    this.held[node] = true;
    const waiting = this.waitingPartitions[node];
    for (let p = 0; p < waiting.length; p++) {
      const full = this.full[waiting[p]];
      for (let b = 0; b < full.length; b++) this.handOn(node, full[b], atUs);
      truncate(full, 0);
    }
  }

  /** Hands a batch of a held node on in a request of its own, at atUs. */
  private handOn(node: number, batch: ProducerBatch, atUs: number): void {
    const request = this.drained;
    request.node = node;
    request.sendUs = atUs;
    request.batches.push(batch);
    this.onRequest(request);
    truncate(request.batches, 0);
  }

  /** The partition leaves its held node: its batches go on at atUs, or when their last record was handed over. */
  private release(partition: number, atUs: number): void {
    const node = this.nodeOfWaiting[partition];
    const waiting = this.waitingPartitions[node];
    waiting.splice(waiting.indexOf(partition), 1);
    this.nodeOfWaiting[partition] = -1;
    const full = this.full[partition];
    for (let b = 0; b < full.length; b++) this.handOn(node, full[b], atUs);
    truncate(full, 0);
    const open = this.open[partition];
    this.open[partition] = null;
    // A record is handed over at its creation time or, blocked, earlier than now: none leaves before it exists.
    if (open !== null) this.handOn(node, open, Math.max(atUs, open.timeUs[open.count - 1]));
  }

  /** Open batches of a held node whose delivery.timeout.ms passes before untilUs are handed on then (the producer drops them). */
  private expireHeld(node: number, untilUs: number): void {
    const waiting = this.waitingPartitions[node];
    for (let p = waiting.length - 1; p >= 0; p--) {
      const open = this.open[waiting[p]];
      const expiresUs = open === null ? Infinity : open.openedUs + this.policy.deliveryTimeoutUs;
      if (expiresUs < untilUs) this.release(waiting[p], expiresUs);
    }
  }
}
