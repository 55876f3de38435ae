// Session windows' per-key state (sim/flink/sessions.ts) against EventTimeSessionWindows' rules:
// windows [t, t + gap) merge when they touch, fire at end - 1 ms, and a record merging with no live
// session is late when its own window is.

import { describe, expect, it } from "vitest";
import { SessionWindows } from "../../sim/flink/sessions.ts";

const seriesOptions = { intervalUs: 1_000_000, endUs: 100_000_000 };
const s = 1_000_000;

function fire(sessions: SessionWindows, subtask: number, watermarkUs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  sessions.advance(subtask, watermarkUs, 0, (endUs, _now, records) => out.push([endUs, records]));
  return out;
}

describe("SessionWindows", () => {
  it("merges records within the gap, touching windows included, and fires at end - 1 ms", () => {
    const sessions = new SessionWindows(s, 0, 1, seriesOptions);
    sessions.ensureSlots(4);
    expect(sessions.add(0, 1, 0, -Infinity)).toBe(true);
    expect(sessions.add(0, 1, s, -Infinity)).toBe(true); // [s, 2s) touches [0, s): merged
    expect(sessions.add(0, 2, 500_000, -Infinity)).toBe(true);
    expect(sessions.activeSessions).toBe(2);
    expect(fire(sessions, 0, 1_500_000 - 1001)).toEqual([]);
    expect(fire(sessions, 0, 1_500_000 - 1000)).toEqual([[1_500_000, 1]]);
    expect(fire(sessions, 0, 2 * s - 1000)).toEqual([[2 * s, 2]]);
    expect(sessions.activeSessions).toBe(0);
    expect(sessions.meter.lengthUs.max).toBe(2 * s);
  });

  it("an out-of-order record before a live session merges when it reaches it, else is a session of its own", () => {
    const sessions = new SessionWindows(s, 0, 1, seriesOptions);
    sessions.ensureSlots(1);
    sessions.add(0, 0, 10 * s, -Infinity);
    sessions.add(0, 0, 9 * s, -Infinity); // [9s, 10s) touches [10s, 11s)
    sessions.add(0, 0, 5 * s, -Infinity); // [5s, 6s): apart
    expect(sessions.activeSessions).toBe(2);
    expect(fire(sessions, 0, 20 * s)).toEqual([[6 * s, 1], [11 * s, 2]]);
  });

  it("a newer session detaches the older one, which still fires at its own end", () => {
    const sessions = new SessionWindows(s, 0, 1, seriesOptions);
    sessions.ensureSlots(1);
    sessions.add(0, 0, 0, -Infinity);
    sessions.add(0, 0, 3 * s, -Infinity);
    expect(sessions.activeSessions).toBe(2);
    expect(fire(sessions, 0, s)).toEqual([[s, 1]]);
    expect(fire(sessions, 0, 4 * s)).toEqual([[4 * s, 1]]);
  });

  it("a record merging with no live session is late when its own window end - 1 ms + allowed lateness is at or below the watermark", () => {
    const sessions = new SessionWindows(s, 2 * s, 1, seriesOptions);
    sessions.ensureSlots(2);
    expect(sessions.add(0, 0, 0, 3 * s - 1000)).toBe(false);
    expect(sessions.add(0, 0, 0, 3 * s - 1001)).toBe(true);
    // A live session takes an old record that reaches it, whatever the watermark.
    sessions.add(0, 1, 50 * s, 49 * s);
    expect(sessions.add(0, 1, 49.5 * s, 49 * s)).toBe(true);
  });

  it("restores a snapshot onto another parallelism, each session at its key's new subtask", () => {
    const sessions = new SessionWindows(s, 0, 2, seriesOptions);
    sessions.ensureSlots(4);
    sessions.add(0, 0, 0, -Infinity);
    sessions.add(1, 3, 0, -Infinity);
    sessions.add(1, 3, 5 * s, -Infinity); // detaches [0, 1s)
    const snapshots = [sessions.snapshot(0), sessions.snapshot(1)];
    sessions.restore(snapshots, 1, () => 0, 0);
    expect(sessions.activeSessions).toBe(3);
    expect(sessions.openRecords).toBe(3);
    expect(fire(sessions, 0, 10 * s)).toEqual([[s, 1], [s, 1], [6 * s, 1]]);
  });
});
