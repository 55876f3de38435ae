// A broker as one first-come-first-served server: every piece of work it is given (a produce
// request appended to a leader log, a replica's copy, a fetch response) takes its request handling
// time plus its bytes over the bottleneck resource, and waits behind the work given before it. So
// latency rises with load (queueing) instead of staying flat, and its busy time is its utilization.
// Work is handed over at the simulated time it is asked for; network delays are added around the
// queue by the callers, so the queue stays exact FIFO and never idles waiting for work on the wire.

import { invariant } from "../engine/index.ts";
import { CounterSeries, type SeriesOptions } from "../metrics/index.ts";

export interface BrokerCapacity {
  networkInBytesPerSecond: number;
  networkOutBytesPerSecond: number;
  diskWriteBytesPerSecond: number;
  requestHandlingUs: number;
}

export class Broker {
  private alive = true;
  private downSinceUs = -1;
  private busyUntilUs = 0;
  /** Microseconds of work started in each report interval (utilization = busy / interval). */
  readonly busyUs: CounterSeries;
  readonly bytesIn: CounterSeries;
  readonly bytesOut: CounterSeries;
  private readonly writeUsPerByte: number;
  private readonly sendUsPerByte: number;

  constructor(
    readonly index: number,
    readonly capacity: BrokerCapacity,
    seriesOptions: SeriesOptions,
  ) {
    this.busyUs = new CounterSeries(seriesOptions);
    this.bytesIn = new CounterSeries(seriesOptions);
    this.bytesOut = new CounterSeries(seriesOptions);
    // Incoming bytes cross the network and are written to disk: the slower of the two bounds them.
    this.writeUsPerByte = 1e6 / Math.min(capacity.networkInBytesPerSecond, capacity.diskWriteBytesPerSecond);
    this.sendUsPerByte = 1e6 / capacity.networkOutBytesPerSecond;
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

  /** When a write of `bytes` handed over at atUs would be done (without handing it over). */
  writeDoneAtUs(atUs: number, bytes: number): number {
    return Math.max(atUs, this.busyUntilUs) + this.capacity.requestHandlingUs + bytes * this.writeUsPerByte;
  }

  /** Appends `bytes` arriving at atUs (a produce request or a replica's copy); returns when it is written. */
  write(atUs: number, bytes: number, endUs: number): number {
    return this.serve(atUs, this.capacity.requestHandlingUs + bytes * this.writeUsPerByte, endUs, this.bytesIn, bytes);
  }

  /** Sends `bytes` asked for at atUs (a fetch response, or data a follower copies); returns when it is sent. */
  send(atUs: number, bytes: number, endUs: number): number {
    return this.serve(atUs, this.capacity.requestHandlingUs + bytes * this.sendUsPerByte, endUs, this.bytesOut, bytes);
  }

  /**
   * Work starts when it has arrived and the broker is free; busy time and bytes are counted where it
   * starts (start times never go back, so the series grow in time order). Work is served in the order
   * it is given to the broker.
   */
  private serve(atUs: number, serviceUs: number, endUs: number, bytesSeries: CounterSeries, bytes: number): number {
    const startUs = Math.max(atUs, this.busyUntilUs);
    this.busyUntilUs = startUs + serviceUs;
    if (startUs <= endUs) {
      this.busyUs.add(startUs, serviceUs);
      bytesSeries.add(startUs, bytes);
    }
    return Math.round(this.busyUntilUs);
  }
}
