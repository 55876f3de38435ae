// max.in.flight.requests.per.connection (docs/reference.md §3.2): the Java client sends a broker no new
// request while that many are unanswered (NetworkClient.canSendRequest, InFlightRequests.canSendMore).
// A request holds a slot from its send until its answer is back. Requests for a broker with none free
// wait here, their batches still holding buffer.memory and expiring at delivery.timeout.ms (the Sender
// expires batches that wait that long); when an answer frees a slot, every waiting batch leaves, in
// order, in requests of up to max.request.size (Sender.sendProducerData drains all of a ready node's
// batches). A batch that comes to wait while an earlier batch of its partition waits, neither yet
// sent, joins that one if both fit in batch.size, and its buffer.memory is freed: the Java client
// drains no node that cannot take a request (Sender.sendProducerData, NetworkClient.ready), so its
// partition's batch keeps taking records until batch.size (RecordAccumulator.tryAppend) instead of
// closing at linger (docs/reference.md §3.2). The batch is joined when it would have been drained:
// until then it held an allocation of its own.
//
// An answer frees its slot at a known future time. While no request waits for the broker that needs
// no event: the gate reserves the answer's place in the event order and, asked for a slot, counts the
// answers whose place has passed. Only when a request has to wait are the broker's answers still due
// scheduled, in their reserved places, to hand it their slots: the same order of work as an event
// per answer, with one event per request fewer.

import { invariant, truncate, type Simulation } from "../engine/index.ts";
import type { ProducerBatch } from "./accumulator.ts";

export interface GatedRequest<F> {
  node: number;
  flights: F[];
  /** Holds one of its broker's slots. */
  inFlight: boolean;
  /** Waits here for one. */
  waiting: boolean;
  /** When its answer frees its slot, and that event's reserved place in the order (releaseAt). */
  releaseUs: number;
  releaseReservation: number;
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
  /** Moves `from`'s records into `into` (both waiting, the same partition, `from` the later) if they may join; returns whether it did. */
  join(into: F, from: F): boolean;
}

export class InFlightGate<F extends { batch: ProducerBatch }, R extends GatedRequest<F>> {
  private readonly inFlightByBroker: Int32Array;
  private readonly waitingByBroker: R[][];
  /** Per broker: requests whose answer frees their slot at a reserved time and place (no event scheduled). */
  private readonly answeringByBroker: R[][];
  /** Per broker: each partition's last waiting batch, which a later one may join. */
  private readonly lastWaitingByBroker: Array<Map<number, F>>;
  private readonly expireHandler = (request: R): void => this.expire(request);
  private readonly releaseHandler = (request: R): void => this.release(request);

  constructor(
    private readonly sim: Simulation,
    brokerCount: number,
    private readonly policy: InFlightPolicy,
    private readonly hooks: InFlightHooks<F, R>,
  ) {
    this.inFlightByBroker = new Int32Array(brokerCount);
    this.waitingByBroker = Array.from({ length: brokerCount }, () => []);
    this.answeringByBroker = Array.from({ length: brokerCount }, () => []);
    this.lastWaitingByBroker = Array.from({ length: brokerCount }, () => new Map<number, F>());
  }

  /** Takes one of the broker's slots, or queues the request for one; returns whether it got one. */
  take(request: R): boolean {
    const node = request.node;
    const waiting = this.waitingByBroker[node];
    if (this.answeringByBroker[node].length > 0) this.countAnswered(node);
    if (this.inFlightByBroker[node] >= this.policy.maxInFlightRequests || waiting.length > 0) {
      this.joinWaiting(request);
      if (request.flights.length === 0) return false;
      waiting.push(request);
      request.waiting = true;
      this.scheduleExpiry(request);
      this.scheduleAnswers(node);
      return false;
    }
    this.inFlightByBroker[node]++;
    request.inFlight = true;
    return true;
  }

  /** The request's batches join their partitions' waiting batches where they may; those left wait on their own. */
  private joinWaiting(request: R): void {
    const lastWaiting = this.lastWaitingByBroker[request.node];
    const flights = request.flights;
    let kept = 0;
    for (let i = 0; i < flights.length; i++) {
      const flight = flights[i];
      const partition = flight.batch.partition;
      const last = lastWaiting.get(partition);
      if (last !== undefined && this.hooks.join(last, flight)) continue;
      lastWaiting.set(partition, flight);
      flights[kept++] = flight;
    }
    truncate(flights, kept);
  }

  /** The request's answer is back at atUs (after now): release() then, in this moment's place in the event order. */
  releaseAt(request: R, atUs: number): void {
    if (!request.inFlight) return;
    if (this.waitingByBroker[request.node].length > 0) return this.sim.at(atUs, this.releaseHandler, request);
    request.releaseUs = atUs;
    request.releaseReservation = this.sim.reserve(atUs);
    this.answeringByBroker[request.node].push(request);
  }

  /** Frees the slots of the broker's answers whose reserved place in the event order has passed. */
  private countAnswered(node: number): void {
    const answering = this.answeringByBroker[node];
    let kept = 0;
    for (let i = 0; i < answering.length; i++) {
      const request = answering[i];
      if (this.sim.hasRun(request.releaseUs, request.releaseReservation)) {
        request.inFlight = false;
        this.inFlightByBroker[node]--;
      } else answering[kept++] = request;
    }
    truncate(answering, kept);
  }

  /** A request waits for the broker: its answers still due are scheduled, each in its reserved place, to hand over their slots. */
  private scheduleAnswers(node: number): void {
    const answering = this.answeringByBroker[node];
    for (let i = 0; i < answering.length; i++) this.sim.atReserved(answering[i].releaseUs, answering[i].releaseReservation, this.releaseHandler, answering[i]);
    truncate(answering, 0);
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
    this.lastWaitingByBroker[node].clear();
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
    const lastWaiting = this.lastWaitingByBroker[request.node];
    request.flights = request.flights.filter((flight) => {
      if (flight.batch.openedUs + this.policy.deliveryTimeoutUs > now) return true;
      if (lastWaiting.get(flight.batch.partition) === flight) lastWaiting.delete(flight.batch.partition);
      this.hooks.drop(flight);
      return false;
    });
    if (request.flights.length > 0) return this.scheduleExpiry(request);
    const waiting = this.waitingByBroker[request.node];
    waiting.splice(waiting.indexOf(request), 1);
    request.waiting = false;
  }
}
