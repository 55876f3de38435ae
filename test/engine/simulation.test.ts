import { describe, expect, it } from "vitest";
import { EventBudgetError, RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { EventQueue, PendingLimitError } from "../../sim/engine/queue.ts";

describe("Simulation ordering", () => {
  it("runs events in time order and same-time events in schedule order", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    const log = (label: string) => () => seen.push(`${sim.nowUs}:${label}`);
    sim.at(50, log("c"));
    sim.at(10, log("a"));
    sim.at(50, log("d"));
    sim.at(10, log("b"));
    sim.at(50, log("e"));
    sim.run({ endUs: 100, eventBudget: 100 });
    expect(seen).toEqual(["10:a", "10:b", "50:c", "50:d", "50:e"]);
  });

  it("orders an event scheduled during a same-time event after the ones already pending", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.at(5, () => {
      seen.push("first");
      sim.after(0, () => seen.push("scheduled-by-first"));
    });
    sim.at(5, () => seen.push("second"));
    sim.run({ endUs: 10, eventBudget: 10 });
    expect(seen).toEqual(["first", "second", "scheduled-by-first"]);
  });

  it("keeps schedule order among many ties through heap growth", () => {
    const queue = new EventQueue(1_000_000);
    const order: number[] = [];
    const record = (label: number) => order.push(label);
    // 5000 events over 7 distinct times, pushed in an interleaved order.
    for (let i = 0; i < 5000; i++) queue.push((i * 37) % 7, record, i);
    while (queue.popUntil(Infinity)) queue.poppedHandler!(queue.poppedArg);
    const expected = [...Array(5000).keys()].sort((a, b) => ((a * 37) % 7) - ((b * 37) % 7) || a - b);
    expect(order).toEqual(expected);
  });

  it("runs zero-delay events (the same-time lane) after same-time events scheduled before them, in schedule order", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.at(5, () => {
      seen.push("a");
      sim.after(0, () => {
        seen.push("a0");
        sim.after(0, () => seen.push("a00"));
      });
      sim.after(0, () => seen.push("a1"));
    });
    sim.at(5, () => {
      seen.push("b");
      sim.after(0, () => seen.push("b0"));
      sim.after(1, () => seen.push("b1"));
    });
    sim.at(6, () => seen.push("c"));
    sim.run({ endUs: 10, eventBudget: 100 });
    expect(seen).toEqual(["a", "b", "a0", "a1", "b0", "a00", "c", "b1"]);
    expect(sim.eventCount).toBe(8);
  });

  it("keeps the (time, schedule order) rule with zero-delay events, reservations and a long lane", () => {
    // Random work: each event schedules 0-2 more, a third of them with zero delay, some through
    // reservations; the run's order must be the (time, seq) order of a reference sort.
    const uniform = new RandomStreams(7).stream("test/lane");
    const sim = new Simulation();
    const ran: Array<[number, number]> = [];
    let seq = 0;
    let budget = 20_000;
    const handler = (label: number): void => {
      ran.push([sim.nowUs, label]);
      const children = Math.floor(uniform() * 3);
      for (let k = 0; k < children && budget > 0; k++, budget--) {
        const delayUs = uniform() < 0.35 ? 0 : Math.floor(uniform() * 50);
        const label = seq++;
        const atUs = sim.nowUs + delayUs;
        if (uniform() < 0.2) {
          const reservation = sim.reserve(atUs);
          sim.atReserved(atUs, reservation, handler, label);
        } else sim.at(atUs, handler, label);
        scheduled.push([atUs, label]);
      }
    };
    const scheduled: Array<[number, number]> = [];
    for (let i = 0; i < 50; i++) {
      const label = seq++;
      const atUs = Math.floor(uniform() * 20);
      sim.at(atUs, handler, label);
      scheduled.push([atUs, label]);
    }
    sim.run({ endUs: Number.MAX_SAFE_INTEGER, eventBudget: 1e6 });
    scheduled.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(ran).toEqual(scheduled);
  });

  it("orders the lane against the heap by time when an event is pushed before the last popped one", () => {
    const queue = new EventQueue(1000);
    const order: string[] = [];
    const record = (label: string) => order.push(label);
    queue.push(10, record, "ten");
    expect(queue.popUntil(Infinity)).toBe(true);
    queue.push(10, record, "lane-10");
    queue.push(4, record, "past-4");
    expect(queue.size).toBe(2);
    expect(queue.peekTimeUs()).toBe(4);
    while (queue.popUntil(Infinity)) queue.poppedHandler!(queue.poppedArg);
    expect(order).toEqual(["past-4", "lane-10"]);
  });

  it("tells whether a reserved event would have run, and runs it in its reserved place", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    let reservation = -1;
    sim.at(5, () => {
      reservation = sim.reserve(20);
      sim.at(20, () => seen.push(`after-reserved:${sim.hasRun(20, reservation)}`));
    });
    sim.at(20, () => seen.push(`scheduled-before:${sim.hasRun(20, reservation)}`));
    sim.at(10, () => seen.push(`earlier:${sim.hasRun(20, reservation)}`));
    sim.run({ endUs: 30, eventBudget: 10 });
    expect(seen).toEqual(["earlier:false", "scheduled-before:false", "after-reserved:true"]);
    expect(sim.hasRun(20, reservation)).toBe(true);
  });

  it("schedules a reserved event before later-scheduled events at its time", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.at(1, () => {
      const reservation = sim.reserve(9);
      sim.at(9, () => seen.push("later"));
      sim.at(9, () => seen.push("later-2"));
      sim.at(3, () => sim.atReserved(9, reservation, () => seen.push("reserved"), undefined));
    });
    sim.at(9, () => seen.push("earlier"));
    sim.run({ endUs: 10, eventBudget: 10 });
    expect(seen).toEqual(["earlier", "reserved", "later", "later-2"]);
  });

  it("refuses to schedule a reservation whose place has passed", () => {
    const sim = new Simulation();
    let reservation = -1;
    sim.at(1, () => {
      reservation = sim.reserve(2);
    });
    sim.at(3, () => expect(() => sim.atReserved(2, reservation, () => {}, undefined)).toThrow(RangeError));
    sim.run({ endUs: 5, eventBudget: 10 });
  });

  it("passes the argument and advances the clock", () => {
    const sim = new Simulation();
    const got: Array<[number, string]> = [];
    sim.at(7, (arg: string) => got.push([sim.nowUs, arg]), "x");
    sim.after(3, (arg: string) => got.push([sim.nowUs, arg]), "y");
    sim.run({ endUs: 10, eventBudget: 10 });
    expect(got).toEqual([
      [3, "y"],
      [7, "x"],
    ]);
    expect(sim.nowUs).toBe(10);
  });

  it("stops at the end time and leaves later events pending", () => {
    const sim = new Simulation();
    let ran = 0;
    sim.at(10, () => ran++);
    sim.at(11, () => ran++);
    const result = sim.run({ endUs: 10, eventBudget: 10 });
    expect(ran).toBe(1);
    expect(result.eventCount).toBe(1);
    expect(sim.pendingCount).toBe(1);
  });

  it("rejects times in the past and non-integer times", () => {
    const sim = new Simulation();
    sim.at(10, () => {
      expect(() => sim.at(5, () => {})).toThrow(RangeError);
    });
    sim.run({ endUs: 20, eventBudget: 10 });
    expect(() => sim.at(20.5, () => {})).toThrow(RangeError);
  });

  it("stops a runaway scenario with an error naming the budget", () => {
    const sim = new Simulation();
    const forever = (): void => sim.after(1, forever);
    sim.at(0, forever);
    expect(() => sim.run({ endUs: 1e12, eventBudget: 1000 })).toThrow(EventBudgetError);
    expect(sim.eventCount).toBe(1000);
    expect(sim.pendingCount).toBe(1);
    expect(() => sim.run({ endUs: 1e12, eventBudget: 1000 })).toThrow(/event budget of 1000 events/);
  });

  it("stops unbounded scheduling at the pending-event limit", () => {
    const queue = new EventQueue(5000);
    expect(() => {
      for (let i = 0; i < 10_000; i++) queue.push(i, () => {}, undefined);
    }).toThrow(PendingLimitError);
  });

  it("reports progress", () => {
    const sim = new Simulation();
    for (let i = 0; i < 10; i++) sim.at(i * 100, () => {});
    const calls: Array<[number, number]> = [];
    sim.run({ endUs: 2000, eventBudget: 100, progressEveryEvents: 4, onProgress: (nowUs, events) => calls.push([nowUs, events]) });
    expect(calls).toEqual([
      [300, 4],
      [700, 8],
      [2000, 10],
    ]);
  });
});

describe("RandomStreams", () => {
  it("gives the same sequence for the same seed and name", () => {
    const a = new RandomStreams(42).stream("kds/analytics");
    const b = new RandomStreams(42).stream("kds/analytics");
    for (let i = 0; i < 1000; i++) expect(a()).toBe(b());
  });

  it("does not change a stream's numbers when other streams are created or drawn", () => {
    const alone = new RandomStreams(7).stream("workload/sensors/keys");
    const expected = Array.from({ length: 100 }, () => alone());
    const streams = new RandomStreams(7);
    const other = streams.stream("kafka/msk/fetch");
    for (let i = 0; i < 500; i++) other();
    const same = streams.stream("workload/sensors/keys");
    streams.stream("sqs/queue/visibility")();
    expect(Array.from({ length: 100 }, () => same())).toEqual(expected);
  });

  it("gives different sequences for different names and different seeds", () => {
    const draws = (seed: number, name: string) => {
      const u = new RandomStreams(seed).stream(name);
      return Array.from({ length: 20 }, () => u());
    };
    expect(draws(1, "a")).not.toEqual(draws(1, "b"));
    expect(draws(1, "a")).not.toEqual(draws(2, "a"));
  });

  it("draws uniform numbers in [0, 1) with the right mean", () => {
    const u = new RandomStreams(3).stream("check");
    let sum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = u();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    // Standard error of the mean is sqrt(1/12/n) ~ 6.5e-4; 0.004 is more than 6 of them.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.004);
  });
});

describe("Simulation.every", () => {
  it("calls now and every period up to and including the end", () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.every(250, 1000, () => seen.push(sim.nowUs));
    sim.run({ endUs: 5000, eventBudget: 100 });
    expect(seen).toEqual([0, 250, 500, 750, 1000]);
  });
});
