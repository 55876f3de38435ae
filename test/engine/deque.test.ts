import { describe, expect, it } from "vitest";
import { Deque, invariant, InvariantError } from "../../sim/engine/index.ts";

/** The deque's buffer size (private), to check that a steady state stops growing it. */
function capacityOf<T>(deque: Deque<T>): number {
  return (deque as unknown as { items: unknown[] }).items.length;
}

describe("Deque", () => {
  it("is first in, first out, and empty answers undefined", () => {
    const deque = new Deque<number>();
    expect(deque.shift()).toBeUndefined();
    expect(deque.peek()).toBeUndefined();
    expect(deque.peekLast()).toBeUndefined();
    for (let i = 0; i < 40; i++) deque.push(i);
    expect(deque.length).toBe(40);
    expect(deque.peek()).toBe(0);
    expect(deque.peekLast()).toBe(39);
    const out: number[] = [];
    for (let item = deque.shift(); item !== undefined; item = deque.shift()) out.push(item);
    expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(deque.length).toBe(0);
  });

  it("puts an item back at the front with unshift, across the buffer's wrap and growth", () => {
    const deque = new Deque<string>();
    deque.push("b");
    deque.push("c");
    deque.unshift("a");
    for (let i = 0; i < 20; i++) deque.unshift(`x${i}`);
    expect([...deque].slice(-3)).toEqual(["a", "b", "c"]);
    expect(deque.peek()).toBe("x19");
    expect(deque.at(0)).toBe("x19");
    expect(deque.at(deque.length - 1)).toBe("c");
    expect(deque.at(deque.length)).toBeUndefined();
    expect(deque.at(-1)).toBeUndefined();
  });

  it("matches an array under a long random mix of operations, iteration and forEach included", () => {
    const deque = new Deque<number>();
    const model: number[] = [];
    let state = 12345;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    for (let step = 0; step < 3_000; step++) {
      const u = next();
      if (u < 0.45) {
        deque.push(step);
        model.push(step);
      } else if (u < 0.55) {
        deque.unshift(step);
        model.unshift(step);
      } else expect(deque.shift()).toBe(model.shift());
      expect(deque.length).toBe(model.length);
      expect(deque.peek()).toBe(model[0]);
      expect(deque.peekLast()).toBe(model[model.length - 1]);
    }
    expect([...deque]).toEqual(model);
    const visited: number[] = [];
    deque.forEach((item) => visited.push(item));
    expect(visited).toEqual(model);
  });

  it("stops growing once it holds its working size (no allocation per operation)", () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 100; i++) deque.push(i);
    const capacity = capacityOf(deque);
    for (let i = 0; i < 100_000; i++) {
      deque.shift();
      deque.push(i);
    }
    expect(capacityOf(deque)).toBe(capacity);
    expect(capacity).toBeLessThanOrEqual(256);
  });

  it("holds no reference to an item once it is shifted off", () => {
    const deque = new Deque<object>();
    deque.push({});
    deque.shift();
    expect((deque as unknown as { items: unknown[] }).items.every((item) => item === undefined)).toBe(true);
  });
});

describe("invariant", () => {
  it("passes silently, and throws an InvariantError naming what broke", () => {
    expect(() => invariant(true, "never")).not.toThrow();
    expect(() => invariant(false, "offsets went back")).toThrow(InvariantError);
    expect(() => invariant(false, "offsets went back")).toThrow(/invariant broken: offsets went back/);
  });

  it("builds a message from a thunk only when the check fails", () => {
    let built = 0;
    const message = (): string => `built ${++built}`;
    invariant(true, message);
    expect(built).toBe(0);
    expect(() => invariant(false, message)).toThrow(/built 1/);
  });
});
