// How long a classic group's rebalance takes once the group is running (docs/reference.md §3.4).
// group.initial.rebalance.delay.ms applies only to a group with no members (a new or emptied group);
// the groups of a run are running from its start, so a rebalance instead waits for every member to
// rejoin: each hears of it at its next heartbeat (heartbeat.interval.ms), rejoins at its next poll()
// (after processing the records in hand), and then JoinGroup and SyncGroup take a round trip each.
// A member that crashed is first noticed session.timeout.ms after its last heartbeat.

import type { Uniform } from "../engine/index.ts";
import { consumerHeartbeatIntervalUs, consumerSessionTimeoutUs } from "./limits.ts";

/** Each member's heartbeats, every heartbeat.interval.ms from a phase of its own. */
export class Heartbeats {
  private readonly phasesUs: number[] = [];

  constructor(memberCount: number, uniform: Uniform) {
    for (let i = 0; i < memberCount; i++) this.phasesUs.push(Math.floor(uniform() * consumerHeartbeatIntervalUs));
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
  /** JoinGroup and SyncGroup after the last member rejoined. */
  protocolUs = 0;

  /** A rebalance assigned at assignUs: its time, split at the last member to rejoin. */
  add(rebalance: Rebalance, assignUs: number): void {
    const heardUs = Math.max(rebalance.startUs, rebalance.lastHeardUs);
    const joinedUs = Math.max(heardUs, rebalance.lastJoinUs);
    this.heartbeatUs += heardUs - rebalance.startUs;
    this.processingUs += joinedUs - heardUs;
    this.protocolUs += assignUs - joinedUs;
  }

  /** The component most of the time went to. */
  get mostly(): "heartbeat" | "processing" | "protocol" {
    if (this.processingUs >= this.heartbeatUs && this.processingUs >= this.protocolUs) return "processing";
    return this.heartbeatUs >= this.protocolUs ? "heartbeat" : "protocol";
  }
}
