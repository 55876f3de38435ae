// Consumer group assignment: range and round-robin layouts, idle members beyond the partition
// count, and cooperative-sticky's balance, stickiness, minimal movement and revocations, checked on
// examples and on random membership changes against the computed minimum.

import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import type { Uniform } from "../../sim/engine/index.ts";
import {
  cooperativeStickyAssign,
  firstRoundAssignment,
  idleMembers,
  rangeAssign,
  roundRobinAssign,
  type Assignment,
} from "../../sim/kafka/assignment.ts";

function entries(assignment: ReadonlyMap<string, readonly number[]>): [string, readonly number[]][] {
  return [...assignment];
}

/** Each partition 0..P-1 exactly once. */
function expectCovers(assignment: Assignment, partitionCount: number): void {
  const all = [...assignment.values()].flat().sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: partitionCount }, (_, p) => p));
}

function expectBalanced(assignment: Assignment): void {
  const sizes = [...assignment.values()].map((partitions) => partitions.length);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
}

function ownerOf(assignment: ReadonlyMap<string, readonly number[]>): Map<number, string> {
  const owners = new Map<number, string>();
  for (const [member, partitions] of assignment) for (const partition of partitions) owners.set(partition, member);
  return owners;
}

/** Partitions whose owner changed (including those of members that left). */
function movedCount(previous: ReadonlyMap<string, readonly number[]>, next: Assignment): number {
  const before = ownerOf(previous);
  let moved = 0;
  for (const [partition, member] of ownerOf(next)) if (before.get(partition) !== member) moved++;
  return moved;
}

/** The fewest moves any balanced assignment allows: each member keeps at most min(owned, quota). */
function minimumMoves(members: readonly string[], partitionCount: number, previous: ReadonlyMap<string, readonly number[]>): number {
  const minQuota = Math.floor(partitionCount / members.length);
  const overMinSlots = partitionCount % members.length;
  const owned = members.map((member) => (previous.get(member) ?? []).length);
  const kept = owned.reduce((sum, count) => sum + Math.min(count, minQuota), 0);
  const canUseExtra = overMinSlots === 0 ? 0 : owned.filter((count) => count >= minQuota + 1).length;
  return partitionCount - kept - Math.min(canUseExtra, overMinSlots);
}

describe("rangeAssign", () => {
  it("gives P=7 over C=3 contiguous ranges [0,1,2], [3,4], [5,6]", () => {
    expect(entries(rangeAssign(["c1", "c2", "c3"], 7))).toEqual([
      ["c1", [0, 1, 2]],
      ["c2", [3, 4]],
      ["c3", [5, 6]],
    ]);
  });

  it("sorts members by id as Java's String.compareTo does (code units, not locale)", () => {
    // "B" (0x42) < "a" (0x61) < "b"; "consumer-10" < "consumer-2".
    expect(entries(rangeAssign(["b", "a", "B"], 4))).toEqual([
      ["B", [0, 1]],
      ["a", [2]],
      ["b", [3]],
    ]);
    expect([...rangeAssign(["consumer-2", "consumer-10"], 2).keys()]).toEqual(["consumer-10", "consumer-2"]);
  });

  it("covers every partition once with sizes floor(P/C) or one more, the larger first", () => {
    for (let memberCount = 1; memberCount <= 13; memberCount++) {
      for (const partitionCount of [1, 2, 5, 12, 13, 64]) {
        const members = Array.from({ length: memberCount }, (_, i) => `m${String(i).padStart(2, "0")}`);
        const assignment = rangeAssign(members, partitionCount);
        expectCovers(assignment, partitionCount);
        const sizes = [...assignment.values()].map((partitions) => partitions.length);
        expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
        expectBalanced(assignment);
      }
    }
  });
});

describe("roundRobinAssign", () => {
  it("deals partitions in member order", () => {
    expect(entries(roundRobinAssign(["c3", "c1", "c2"], 7))).toEqual([
      ["c1", [0, 3, 6]],
      ["c2", [1, 4]],
      ["c3", [2, 5]],
    ]);
  });

  it("gives every member one partition when C = P", () => {
    expect(entries(roundRobinAssign(["x", "y", "z"], 3))).toEqual([
      ["x", [0]],
      ["y", [1]],
      ["z", [2]],
    ]);
  });
});

describe("idleMembers", () => {
  const members = ["c1", "c2", "c3", "c4", "c5"];

  it("leaves members beyond the partition count idle, for every assignor", () => {
    expect(idleMembers(rangeAssign(members, 3))).toEqual(["c4", "c5"]);
    expect(idleMembers(roundRobinAssign(members, 3))).toEqual(["c4", "c5"]);
    const sticky = cooperativeStickyAssign(members, 3, new Map()).assignment;
    expect(idleMembers(sticky)).toHaveLength(2);
    expectCovers(sticky, 3);
    expect(idleMembers(rangeAssign(members, 5))).toEqual([]);
  });

  it("keeps every member in the map, idle ones with an empty list", () => {
    expect(entries(rangeAssign(members, 2))).toEqual([
      ["c1", [0]],
      ["c2", [1]],
      ["c3", []],
      ["c4", []],
      ["c5", []],
    ]);
  });
});

describe("cooperativeStickyAssign", () => {
  const three = ["c1", "c2", "c3"];
  const twelveOverThree = new Map([
    ["c1", [0, 1, 2, 3]],
    ["c2", [4, 5, 6, 7]],
    ["c3", [8, 9, 10, 11]],
  ]);

  it("starts from nothing like a balanced round-robin", () => {
    const { assignment, revoked } = cooperativeStickyAssign(three, 7, new Map());
    expect(entries(assignment)).toEqual([
      ["c1", [0, 3, 6]],
      ["c2", [1, 4]],
      ["c3", [2, 5]],
    ]);
    expect(revoked.size).toBe(0);
  });

  it("keeps an unchanged group's assignment: nothing moves or is revoked", () => {
    const { assignment, revoked } = cooperativeStickyAssign(three, 12, twelveOverThree);
    expect(assignment).toEqual(twelveOverThree);
    expect(revoked.size).toBe(0);
  });

  it("moves exactly 3 of 12 partitions when a 4th member joins 3, revoking one from each", () => {
    const members = [...three, "c4"];
    const result = cooperativeStickyAssign(members, 12, twelveOverThree);
    expect(entries(result.assignment)).toEqual([
      ["c1", [0, 1, 2]],
      ["c2", [4, 5, 6]],
      ["c3", [8, 9, 10]],
      ["c4", [3, 7, 11]],
    ]);
    expect(entries(result.revoked)).toEqual([
      ["c1", [3]],
      ["c2", [7]],
      ["c3", [11]],
    ]);
    expect(movedCount(twelveOverThree, result.assignment)).toBe(3);
    expect(minimumMoves(members, 12, twelveOverThree)).toBe(3);
    // Between the two rebalances the newcomer waits for the revoked partitions.
    expect(entries(firstRoundAssignment(result))).toEqual([
      ["c1", [0, 1, 2]],
      ["c2", [4, 5, 6]],
      ["c3", [8, 9, 10]],
      ["c4", []],
    ]);
  });

  it("hands a leaving member's partitions to the others at once, revoking nothing", () => {
    const previous = cooperativeStickyAssign([...three, "c4"], 12, twelveOverThree).assignment;
    const { assignment, revoked } = cooperativeStickyAssign(["c1", "c2", "c4"], 12, previous);
    expect(entries(assignment)).toEqual([
      ["c1", [0, 1, 2, 8]],
      ["c2", [4, 5, 6, 9]],
      ["c4", [3, 7, 10, 11]],
    ]);
    expect(revoked.size).toBe(0);
    expect(movedCount(previous, assignment)).toBe(3);
    for (const member of ["c1", "c2", "c4"]) expect(assignment.get(member)).toEqual(expect.arrayContaining(previous.get(member)!));
  });

  it("gives the extra partitions to members that already own enough to keep them", () => {
    // P=10, C=3: quotas 3 and 4, one member may hold 4. c1 owns 6, c2 owns 4, c3 is new.
    const previous = new Map([
      ["c1", [0, 1, 2, 3, 4, 5]],
      ["c2", [6, 7, 8, 9]],
    ]);
    const result = cooperativeStickyAssign(three, 10, previous);
    expect(entries(result.assignment)).toEqual([
      ["c1", [0, 1, 2, 3]],
      ["c2", [6, 7, 8]],
      ["c3", [4, 5, 9]],
    ]);
    expect(entries(result.revoked)).toEqual([
      ["c1", [4, 5]],
      ["c2", [9]],
    ]);
    expect(movedCount(previous, result.assignment)).toBe(minimumMoves(three, 10, previous));
  });

  it("ignores owners that left and sorts the input it is given", () => {
    const previous = new Map([
      ["gone", [0, 1]],
      ["c2", [5, 2]],
    ]);
    const result = cooperativeStickyAssign(["c2", "c1"], 6, previous);
    expect(entries(result.assignment)).toEqual([
      ["c1", [0, 3, 4]],
      ["c2", [1, 2, 5]],
    ]);
    expect(result.revoked.size).toBe(0);
  });

  it("stays balanced, sticky and minimal over random joins and leaves", () => {
    const u = seedrandom.alea("group-churn") as Uniform;
    for (const partitionCount of [1, 5, 12, 30, 64]) {
      let members = ["m00", "m01", "m02"];
      let previous: Assignment = cooperativeStickyAssign(members, partitionCount, new Map()).assignment;
      let nextId = 3;
      for (let step = 0; step < 200; step++) {
        const leaving = members.length > 1 && u() < 0.5 ? Math.floor(u() * members.length) : -1;
        const next = leaving >= 0 ? members.filter((_, i) => i !== leaving) : [...members, `m${String(nextId++).padStart(2, "0")}`];
        const { assignment, revoked } = cooperativeStickyAssign(next, partitionCount, previous);
        expectCovers(assignment, partitionCount);
        expectBalanced(assignment);
        expect([...assignment.keys()]).toEqual([...next].sort());
        expect(movedCount(previous, assignment)).toBe(minimumMoves(next, partitionCount, previous));
        for (const member of next) {
          const before = previous.get(member) ?? [];
          const after = new Set(assignment.get(member));
          expect(revoked.get(member) ?? []).toEqual(before.filter((partition) => !after.has(partition)));
        }
        for (const member of revoked.keys()) expect(next).toContain(member);
        // No member both gives and receives: one that revokes keeps only partitions it owned.
        for (const member of revoked.keys()) expect(previous.get(member)).toEqual(expect.arrayContaining(assignment.get(member)!));
        members = next;
        previous = assignment;
      }
    }
  });

  it("is deterministic whatever the order of members and previous entries", () => {
    const previous = new Map([
      ["c3", [11, 8, 9, 10]],
      ["c1", [3, 2, 1, 0]],
      ["c2", [7, 6, 5, 4]],
    ]);
    const a = cooperativeStickyAssign(["c4", "c3", "c2", "c1"], 12, previous);
    const b = cooperativeStickyAssign(["c1", "c2", "c3", "c4"], 12, new Map([...previous].reverse()));
    expect(entries(a.assignment)).toEqual(entries(b.assignment));
    expect(entries(a.revoked)).toEqual(entries(b.revoked));
    expect(entries(a.assignment)).toEqual(entries(cooperativeStickyAssign([...three, "c4"], 12, twelveOverThree).assignment));
  });

  it("asserts its inputs", () => {
    expect(() => cooperativeStickyAssign(["a", "a"], 3, new Map())).toThrow(/twice/);
    expect(() => rangeAssign(["a"], 0)).toThrow(RangeError);
    expect(() => roundRobinAssign(["a"], 1.5)).toThrow(RangeError);
    expect(() => cooperativeStickyAssign(["a"], 3, new Map([["a", [3]]]))).toThrow(RangeError);
    expect(() =>
      cooperativeStickyAssign(
        ["a", "b"],
        3,
        new Map([
          ["a", [1]],
          ["b", [1]],
        ]),
      ),
    ).toThrow(/owned by both/);
    expect(entries(cooperativeStickyAssign([], 3, new Map()).assignment)).toEqual([]);
    expect(entries(rangeAssign([], 3))).toEqual([]);
  });
});
