// Consumer group partition assignment for one topic (docs/reference.md §3.4): the range, round-robin and
// cooperative-sticky assignors as pure functions over member ids and partition indexes 0..P-1.
// Members are sorted as the Java client sorts them, by member id with String.compareTo (UTF-16
// code units, which is also JavaScript's < on strings; never localeCompare). Every returned map is
// built in that order and every partition list is sorted ascending, so results never depend on the
// order of the input.

import { partitionCountMax } from "./partitioner.ts";

/** Group sizes above this are a programmer error. */
export const memberCountMax = 100_000;

export type Assignment = Map<string, number[]>;

export interface CooperativeResult {
  /** The target assignment, reached after the follow-up rebalance. */
  readonly assignment: Assignment;
  /**
   * Partitions taken from members that stay in the group, by member (only members that lose some).
   * The cooperative protocol revokes them in the first rebalance and hands them to their new owners
   * in a follow-up rebalance; every other partition keeps being consumed throughout. Empty when no
   * follow-up is needed. Partitions of members that left are not revoked: they move at once.
   */
  readonly revoked: Map<string, number[]>;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedMembers(members: readonly string[], owner: string): string[] {
  if (members.length > memberCountMax) throw new RangeError(`${owner}: ${members.length} members exceed ${memberCountMax}`);
  const sorted = [...members].sort(compareIds);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new Error(`${owner}: member id ${JSON.stringify(sorted[i])} appears twice`);
  }
  return sorted;
}

function assertPartitionCount(partitionCount: number, owner: string): void {
  if (!(Number.isInteger(partitionCount) && partitionCount >= 1 && partitionCount <= partitionCountMax)) {
    throw new RangeError(`${owner}: partitionCount ${partitionCount} is not an integer in [1, ${partitionCountMax}]`);
  }
}

/**
 * RangeAssignor: member i (in sorted order) gets a contiguous range of floor(P/C) partitions, the
 * first P mod C members one more. P=7, C=3 gives [0,1,2], [3,4], [5,6].
 */
export function rangeAssign(members: readonly string[], partitionCount: number): Assignment {
  assertPartitionCount(partitionCount, "rangeAssign");
  const sorted = sortedMembers(members, "rangeAssign");
  const assignment: Assignment = new Map();
  const quotient = Math.floor(partitionCount / Math.max(sorted.length, 1));
  const remainder = partitionCount % Math.max(sorted.length, 1);
  sorted.forEach((member, i) => {
    const start = i * quotient + Math.min(i, remainder);
    const count = quotient + (i < remainder ? 1 : 0);
    assignment.set(member, Array.from({ length: count }, (_, j) => start + j));
  });
  return assignment;
}

/** RoundRobinAssignor for one topic: partition p goes to member p mod C in sorted order. */
export function roundRobinAssign(members: readonly string[], partitionCount: number): Assignment {
  assertPartitionCount(partitionCount, "roundRobinAssign");
  const sorted = sortedMembers(members, "roundRobinAssign");
  const assignment: Assignment = new Map(sorted.map((member) => [member, []]));
  if (sorted.length === 0) return assignment;
  for (let partition = 0; partition < partitionCount; partition++) assignment.get(sorted[partition % sorted.length])!.push(partition);
  return assignment;
}

/** Members holding no partition, sorted: with more consumers than partitions the rest sit idle. */
export function idleMembers(assignment: ReadonlyMap<string, readonly number[]>): string[] {
  return [...assignment].filter(([, partitions]) => partitions.length === 0).map(([member]) => member).sort(compareIds);
}

/**
 * Previous ownership restricted to current members, each list sorted. A partition outside 0..P-1
 * or claimed by two current members is a programmer error (Kafka never shrinks a topic; the model
 * never hands one partition to two members).
 */
function ownedByMember(sorted: readonly string[], partitionCount: number, previous: ReadonlyMap<string, readonly number[]>): Map<string, number[]> {
  const owner = new Map<number, string>();
  const owned = new Map<string, number[]>();
  for (const member of sorted) {
    const partitions = [...(previous.get(member) ?? [])].sort((a, b) => a - b);
    for (const partition of partitions) {
      if (!(Number.isInteger(partition) && partition >= 0 && partition < partitionCount)) {
        throw new RangeError(`cooperativeStickyAssign: member ${member} owned partition ${partition}, outside [0, ${partitionCount - 1}]`);
      }
      const other = owner.get(partition);
      if (other !== undefined) throw new Error(`cooperativeStickyAssign: partition ${partition} owned by both ${other} and ${member}`);
      owner.set(partition, member);
    }
    owned.set(member, partitions);
  }
  return owned;
}

/**
 * CooperativeStickyAssignor, following AbstractStickyAssignor.constrainedAssign (every member
 * subscribes to the one topic). With minQuota = floor(P/C), maxQuota = ceil(P/C) and P mod C members
 * allowed maxQuota:
 * 1. keep: in sorted member order, a member keeps its lowest maxQuota owned partitions while
 *    maxQuota slots remain, else its lowest minQuota; the rest of what it owned is revoked.
 * 2. fill: the partitions nobody kept, ascending, are dealt round-robin to members below minQuota,
 *    then one each to members at minQuota while maxQuota slots remain.
 * The result is balanced (sizes differ by at most 1) and moves the fewest partitions possible: each
 * member keeps min(owned, its quota), and maxQuota slots only go to members that own enough to use
 * them. Java walks the members in HashMap order (and keeps owned partitions in the order the member
 * reported them); sorted order and ascending lists make the tie-breaks deterministic here.
 */
export function cooperativeStickyAssign(
  members: readonly string[],
  partitionCount: number,
  previous: ReadonlyMap<string, readonly number[]>,
): CooperativeResult {
  assertPartitionCount(partitionCount, "cooperativeStickyAssign");
  const sorted = sortedMembers(members, "cooperativeStickyAssign");
  if (sorted.length === 0) return { assignment: new Map(), revoked: new Map() };
  const owned = ownedByMember(sorted, partitionCount, previous);
  const minQuota = Math.floor(partitionCount / sorted.length);
  const maxQuota = Math.ceil(partitionCount / sorted.length);
  const state = { overMinSlots: partitionCount % sorted.length };
  const assignment: Assignment = new Map(sorted.map((member) => [member, []]));
  const { underMin, atMin } = keepOwned(sorted, owned, assignment, minQuota, maxQuota, state);
  fillUnassigned(partitionCount, assignment, underMin, atMin, minQuota, state);
  for (const partitions of assignment.values()) partitions.sort((a, b) => a - b);
  return { assignment, revoked: revokedFrom(sorted, owned, assignment) };
}

/** Phase 1: each member keeps what its quota allows; returns the members still to fill, in order. */
function keepOwned(
  sorted: readonly string[],
  owned: ReadonlyMap<string, number[]>,
  assignment: Assignment,
  minQuota: number,
  maxQuota: number,
  state: { overMinSlots: number },
): { underMin: string[]; atMin: string[] } {
  const underMin: string[] = [];
  let atMin: string[] = [];
  for (const member of sorted) {
    const partitions = owned.get(member)!;
    if (partitions.length < minQuota) {
      assignment.get(member)!.push(...partitions);
      underMin.push(member);
    } else if (partitions.length >= maxQuota && state.overMinSlots > 0) {
      assignment.get(member)!.push(...partitions.slice(0, maxQuota));
      state.overMinSlots--;
      if (state.overMinSlots === 0) atMin = [];
    } else {
      assignment.get(member)!.push(...partitions.slice(0, minQuota));
      if (state.overMinSlots > 0) atMin.push(member);
    }
  }
  return { underMin, atMin };
}

/** Phase 2: deal the unkept partitions round-robin to members below minQuota, then up to maxQuota. */
function fillUnassigned(
  partitionCount: number,
  assignment: Assignment,
  underMin: string[],
  atMin: string[],
  minQuota: number,
  state: { overMinSlots: number },
): void {
  const kept = new Set<number>();
  for (const partitions of assignment.values()) for (const partition of partitions) kept.add(partition);
  let turn = 0;
  for (let partition = 0; partition < partitionCount; partition++) {
    if (kept.has(partition)) continue;
    let member: string;
    if (underMin.length > 0) {
      if (turn >= underMin.length) turn = 0;
      member = underMin[turn];
      const size = assignment.get(member)!.push(partition);
      if (size === minQuota) {
        underMin.splice(turn, 1);
        if (state.overMinSlots > 0) atMin.push(member);
      } else turn++;
      continue;
    }
    const next = atMin.shift();
    if (next === undefined || state.overMinSlots === 0) throw new Error(`cooperativeStickyAssign: no member can take partition ${partition}`);
    assignment.get(next)!.push(partition);
    state.overMinSlots--;
  }
}

function revokedFrom(sorted: readonly string[], owned: ReadonlyMap<string, number[]>, assignment: Assignment): Map<string, number[]> {
  const revoked = new Map<string, number[]>();
  for (const member of sorted) {
    const keeps = new Set(assignment.get(member));
    const lost = owned.get(member)!.filter((partition) => !keeps.has(partition));
    if (lost.length > 0) revoked.set(member, lost);
  }
  return revoked;
}

/**
 * What members hold between the two rebalances of a cooperative move: the target assignment
 * without the revoked partitions, which reach their new owners only in the follow-up rebalance
 * (CooperativeStickyAssignor.adjustAssignment).
 */
export function firstRoundAssignment(result: CooperativeResult): Assignment {
  const inTransit = new Set<number>();
  for (const partitions of result.revoked.values()) for (const partition of partitions) inTransit.add(partition);
  const first: Assignment = new Map();
  for (const [member, partitions] of result.assignment) first.set(member, partitions.filter((partition) => !inTransit.has(partition)));
  return first;
}
