// How long a classic group's rebalance takes once the group is running (docs/reference.md §3.4).
// group.initial.rebalance.delay.ms applies only to a group with no members (a new or emptied group);
// the groups of a run are running from its start, so a rebalance instead waits for every member to
// rejoin: each hears of it at its next heartbeat (heartbeat.interval.ms), rejoins at its next poll()
// (after processing the records in hand), and then JoinGroup and SyncGroup take a round trip each.
// A member still inside a long poll holds the others up until it polls or max.poll.interval.ms evicts it.
// A member that crashed is first noticed session.timeout.ms after its last heartbeat.

import type { Uniform } from "../engine/index.ts";
import { consumerHeartbeatIntervalUs, consumerSessionTimeoutUs } from "./limits.ts";

/** Each member's heartbeats, every heartbeat.interval.ms from a phase of its own. */
export class Heartbeats {
  private readonly phasesUs: number[] = [];

  constructor(memberCount: number, uniform: Uniform) {
    for (let i = 0; i < memberCount; i++) this.phasesUs.push(Math.floor(uniform() * consumerHeartbeatIntervalUs));
  }

  /** A member that joins later (autoscaling): its heartbeat phase, drawn from the same stream. */
  add(uniform: Uniform): void {
    this.phasesUs.push(Math.floor(uniform() * consumerHeartbeatIntervalUs));
  }

  /** The member's first heartbeat at or after atUs: when it hears that its group is rebalancing. */
  nextUs(memberIndex: number, atUs: number): number {
    const phaseUs = this.phasesUs[memberIndex];
    return phaseUs + Math.max(0, Math.ceil((atUs - phaseUs) / consumerHeartbeatIntervalUs)) * consumerHeartbeatIntervalUs;
  }

  /** When the coordinator removes a member silent since stopUs: session.timeout.ms after its last heartbeat. */
  sessionExpiresUs(memberIndex: number, stopUs: number): number {
    const phaseUs = this.phasesUs[memberIndex];
    const lastUs = stopUs < phaseUs ? 0 : phaseUs + Math.floor((stopUs - phaseUs) / consumerHeartbeatIntervalUs) * consumerHeartbeatIntervalUs;
    return lastUs + consumerSessionTimeoutUs;
  }
}

/** A rebalance in progress: when it began, when each member hears of it, who has rejoined. */
export class Rebalance {
  readonly joined = new Set<number>();
  /** When each member (by index) hears of the rebalance. */
  readonly hearsUs: number[];
  /** The member that rejoined last so far, and when. */
  lastJoinUs = -1;
  lastHeardUs = -1;

  constructor(
    readonly startUs: number,
    memberCount: number,
    heartbeats: Heartbeats,
  ) {
    this.hearsUs = Array.from({ length: memberCount }, (_, index) => heartbeats.nextUs(index, startUs));
  }

  /** A member that was not in the group when the rebalance began joins it (its JoinGroup is its own news). */
  admit(memberIndex: number, nowUs: number): void {
    if (this.hearsUs[memberIndex] === undefined) this.hearsUs[memberIndex] = nowUs;
    this.join(memberIndex, nowUs);
  }

  join(memberIndex: number, nowUs: number): void {
    this.joined.add(memberIndex);
    this.lastJoinUs = nowUs;
    this.lastHeardUs = Math.min(nowUs, this.hearsUs[memberIndex]);
  }
}

/** Where the group's rebalance time went, summed over the run (seconds in the finding). */
export class RebalancePauses {
  /** From a crash to the coordinator noticing it (session.timeout.ms after the last heartbeat). */
  detectionUs = 0;
  /** From a rebalance's start until its last member to rejoin heard of it at a heartbeat. */
  heartbeatUs = 0;
  /** From then until that member finished the records in hand and rejoined at its next poll(). */
  processingUs = 0;
  /**
   * From the last member to rejoin until the group could go on: waiting for a member still inside a long
   * poll, which leaves only when max.poll.interval.ms (the classic protocol's rebalance timeout) evicts it.
   */
  waitingUs = 0;
  /** JoinGroup and SyncGroup once every member in the group has rejoined. */
  protocolUs = 0;

  /**
   * A rebalance whose members had all rejoined (or left) at readyUs and that assigned at assignUs: its
   * time, split at the last member to rejoin and at the moment nobody was left to wait for.
   */
  add(rebalance: Rebalance, readyUs: number, assignUs: number): void {
    const heardUs = Math.min(readyUs, Math.max(rebalance.startUs, rebalance.lastHeardUs));
    const joinedUs = Math.min(readyUs, Math.max(heardUs, rebalance.lastJoinUs));
    this.heartbeatUs += heardUs - rebalance.startUs;
    this.processingUs += joinedUs - heardUs;
    this.waitingUs += readyUs - joinedUs;
    this.protocolUs += assignUs - readyUs;
  }

  /** The component most of the time went to. */
  get mostly(): "heartbeat" | "processing" | "waiting" | "protocol" {
    const parts = [
      ["processing", this.processingUs],
      ["waiting", this.waitingUs],
      ["heartbeat", this.heartbeatUs],
      ["protocol", this.protocolUs],
    ] as const;
    return parts.reduce((best, part) => (part[1] > best[1] ? part : best))[0];
  }
}
