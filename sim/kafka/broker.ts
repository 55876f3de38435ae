// A broker as four resources that work in parallel (docs/reference.md §3.5): its network in and its
// network out (EC2 bandwidth is full duplex), its log volume's write throughput, and its request
// handler pool (num.io.threads). Each is a first-come-first-served server kept as one busy-until
// clock; a piece of work is handed to the resources it needs at the same time and is done when the
// last of them is. So a broker's throughput is bounded by its busiest resource, not by the sum of
// them, and latency rises with load (queueing) where a resource runs hot.
// Work is handed over at the simulated time it is asked for; network delays are added around the
// queues by the callers, so each queue stays exact FIFO and never idles waiting for work on the wire.

import { roundHalfUp, invariant } from "../engine/index.ts";
import { CounterSeries, type SeriesOptions } from "../metrics/index.ts";

export interface BrokerCapacity {
  networkInBytesPerSecond: number;
  networkOutBytesPerSecond: number;
  diskWriteBytesPerSecond: number;
  /** Handler-pool time one request takes (its CPU time over the requests the pool serves at once). */
  requestHandlingUs: number;
}

/** A broker's resources, in the order their series and findings name them. */
export const brokerResources = ["NetworkIn", "NetworkOut", "DiskWrite", "RequestHandler"] as const;
export type BrokerResource = (typeof brokerResources)[number];
const networkIn = 0;
const networkOut = 1;
const diskWrite = 2;
const handler = 3;

export class Broker {
  private alive = true;
  private downSinceUs = -1;
  /** When each resource is next free, by brokerResources index. */
  private readonly busyUntilUs = new Float64Array(brokerResources.length);
  /** Microseconds of work started in each report interval, per resource (utilization = busy / interval). */
  readonly busyUs: CounterSeries[];
  /** Clients' traffic (BytesInPerSec, BytesOutPerSec, MessagesInPerSec), apart from other brokers' (Replication*). */
  readonly bytesIn: CounterSeries;
  readonly bytesOut: CounterSeries;
  readonly messagesIn: CounterSeries;
  readonly replicationBytesIn: CounterSeries;
  readonly replicationBytesOut: CounterSeries;
  private readonly usPerByte: Float64Array;

  constructor(
    readonly index: number,
    readonly capacity: BrokerCapacity,
    seriesOptions: SeriesOptions,
  ) {
    this.busyUs = brokerResources.map(() => new CounterSeries(seriesOptions));
    this.bytesIn = new CounterSeries(seriesOptions);
    this.bytesOut = new CounterSeries(seriesOptions);
    this.messagesIn = new CounterSeries(seriesOptions);
    this.replicationBytesIn = new CounterSeries(seriesOptions);
    this.replicationBytesOut = new CounterSeries(seriesOptions);
    this.usPerByte = Float64Array.of(1e6 / capacity.networkInBytesPerSecond, 1e6 / capacity.networkOutBytesPerSecond, 1e6 / capacity.diskWriteBytesPerSecond, 0);
  }

  get up(): boolean {
    return this.alive;
  }

  /** When the broker last went down (-1: never); the controller fences it a session timeout later. */
  get downAtUs(): number {
    return this.downSinceUs;
  }

  /** The broker stops at nowUs (broker-down). */
  fail(nowUs: number): void {
    invariant(this.alive, "only a running broker goes down");
    this.alive = false;
    this.downSinceUs = nowUs;
  }

  /** The broker runs again. */
  recover(): void {
    invariant(!this.alive, "only a broker that is down comes back");
    this.alive = true;
  }

  /** When a produce request of `bytes` handed over at atUs would be done (without handing it over). */
  writeDoneAtUs(atUs: number, bytes: number): number {
    const busy = this.busyUntilUs;
    const perByte = this.usPerByte;
    return Math.max(
      Math.max(atUs, busy[networkIn]) + bytes * perByte[networkIn],
      Math.max(atUs, busy[diskWrite]) + bytes * perByte[diskWrite],
      Math.max(atUs, busy[handler]) + this.capacity.requestHandlingUs,
    );
  }

  /** A produce request of `bytes` and `records` arriving at atUs: received, handled once and appended to the log; returns when it is done. */
  write(atUs: number, bytes: number, records: number, endUs: number): number {
    const doneUs = Math.max(this.serve(networkIn, atUs, bytes * this.usPerByte[networkIn], endUs), this.serve(diskWrite, atUs, bytes * this.usPerByte[diskWrite], endUs), this.serve(handler, atUs, this.capacity.requestHandlingUs, endUs));
    if (atUs <= endUs) {
      this.bytesIn.add(atUs, bytes);
      this.messagesIn.add(atUs, records);
    }
    return roundHalfUp(doneUs);
  }

  /** A fetch request (a consumer's, or with `replication` a follower's) answered with `bytes` at atUs: handled once and sent; returns when it is sent. */
  send(atUs: number, bytes: number, endUs: number, replication = false): number {
    const doneUs = Math.max(this.serve(networkOut, atUs, bytes * this.usPerByte[networkOut], endUs), this.serve(handler, atUs, this.capacity.requestHandlingUs, endUs));
    if (atUs <= endUs) (replication ? this.replicationBytesOut : this.bytesOut).add(atUs, bytes);
    return roundHalfUp(doneUs);
  }

  /**
   * A follower takes in a fetch response of `bytes` at atUs and appends it to its log: network in and
   * disk, but no request handler (replica fetcher threads are its own). Returns when it is written.
   */
  replicate(atUs: number, bytes: number, endUs: number): number {
    const doneUs = Math.max(this.serve(networkIn, atUs, bytes * this.usPerByte[networkIn], endUs), this.serve(diskWrite, atUs, bytes * this.usPerByte[diskWrite], endUs));
    if (atUs <= endUs) this.replicationBytesIn.add(atUs, bytes);
    return roundHalfUp(doneUs);
  }

  /**
   * Work starts on a resource when it has arrived and the resource is free; busy time is counted where
   * it starts (start times never go back, so the series grow in time order).
   */
  private serve(resource: number, atUs: number, serviceUs: number, endUs: number): number {
    const startUs = Math.max(atUs, this.busyUntilUs[resource]);
    const doneUs = startUs + serviceUs;
    this.busyUntilUs[resource] = doneUs;
    if (startUs <= endUs && serviceUs > 0) this.busyUs[resource].add(startUs, serviceUs);
    return doneUs;
  }
}
