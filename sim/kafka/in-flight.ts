// max.in.flight.requests.per.connection (docs/reference.md §3.2): the Java client sends a broker no new
// request while that many are unanswered (NetworkClient.canSendRequest, InFlightRequests.canSendMore).
// A request holds a slot from its send until its answer is back. Requests for a broker with none free
// wait here, their batches still holding buffer.memory and expiring at delivery.timeout.ms (the Sender
// expires batches that wait that long); when an answer frees a slot, every waiting batch leaves, in
// order, in requests of up to max.request.size (Sender.sendProducerData drains all of a ready node's
// batches). The batches keep the sizes they had when linger or batch.size closed them.

import { invariant, type Simulation } from "../engine/index.ts";
import type { ProducerBatch } from "./accumulator.ts";

export interface GatedRequest<F> {
  node: number;
  flights: F[];
  /** Holds one of its broker's slots. */
  inFlight: boolean;
  /** Waits here for one. */
  waiting: boolean;
}

export interface InFlightPolicy {
  maxInFlightRequests: number;
  maxRequestBytes: number;
  deliveryTimeoutUs: number;
}

export interface InFlightHooks<F, R> {
  newRequest(node: number, flights: F[]): R;
  /** Sends a request made of waiting batches (it takes a slot, or waits again). */
  send(request: R): void;
  /** A batch that waited past its delivery timeout: dropped. */
  drop(flight: F): void;
}

export class InFlightGate<F extends { batch: ProducerBatch }, R extends GatedRequest<F>> {
  private readonly inFlightByBroker: Int32Array;
  private readonly waitingByBroker: R[][];
  private readonly expireHandler = (request: R): void => this.expire(request);

  constructor(
    private readonly sim: Simulation,
    brokerCount: number,
    private readonly policy: InFlightPolicy,
    private readonly hooks: InFlightHooks<F, R>,
  ) {
    this.inFlightByBroker = new Int32Array(brokerCount);
    this.waitingByBroker = Array.from({ length: brokerCount }, () => []);
  }

  /** Takes one of the broker's slots, or queues the request for one; returns whether it got one. */
  take(request: R): boolean {
    const node = request.node;
    const waiting = this.waitingByBroker[node];
    if (this.inFlightByBroker[node] >= this.policy.maxInFlightRequests || waiting.length > 0) {
      waiting.push(request);
      request.waiting = true;
      this.scheduleExpiry(request);
      return false;
    }
    this.inFlightByBroker[node]++;
    request.inFlight = true;
    return true;
  }

  /** The request's answer is back (or it ended without one): its slot goes to the batches waiting for the broker. */
  release(request: R): void {
    if (!request.inFlight) return;
    request.inFlight = false;
    const node = request.node;
    this.inFlightByBroker[node]--;
    invariant(this.inFlightByBroker[node] >= 0, "a request frees only the slot it took");
    const waiting = this.waitingByBroker[node];
    if (waiting.length === 0) return;
    const queued = waiting.splice(0);
    let merged = this.hooks.newRequest(node, []);
    let requestBytes = 0;
    const requests = [merged];
    for (const waiter of queued) {
      waiter.waiting = false;
      for (const flight of waiter.flights) {
        if (requestBytes > 0 && requestBytes + flight.batch.bytes > this.policy.maxRequestBytes) {
          merged = this.hooks.newRequest(node, []);
          requests.push(merged);
          requestBytes = 0;
        }
        merged.flights.push(flight);
        requestBytes += flight.batch.bytes;
      }
    }
    for (const next of requests) this.hooks.send(next);
  }

  /** A waiting request's oldest batch reaches its delivery timeout then. */
  private scheduleExpiry(request: R): void {
    let openedUs = Infinity;
    for (const flight of request.flights) openedUs = Math.min(openedUs, flight.batch.openedUs);
    this.sim.at(Math.max(this.sim.nowUs, Math.round(openedUs + this.policy.deliveryTimeoutUs)), this.expireHandler, request);
  }

  /** Batches still waiting at their delivery timeout are dropped, freeing their buffer.memory. */
  private expire(request: R): void {
    if (!request.waiting) return;
    const now = this.sim.nowUs;
    request.flights = request.flights.filter((flight) => {
      if (flight.batch.openedUs + this.policy.deliveryTimeoutUs > now) return true;
      this.hooks.drop(flight);
      return false;
    });
    if (request.flights.length > 0) return this.scheduleExpiry(request);
    const waiting = this.waitingByBroker[request.node];
    waiting.splice(waiting.indexOf(request), 1);
    request.waiting = false;
  }
}
