// Invariants of the stateful components (positions that only move forward, counts that never go
// negative, records conserved): a broken one is a programmer error, so it throws at once, naming
// what broke, instead of letting a wrong number reach a report (STYLE.md practice 8).
//
// The checks are always on, in tests, property runs and production runs alike: there is no switch.
// Each is one comparison at batch or call granularity (never per record), and a passing check builds
// no string: hot paths pass a constant message, and a message that needs numbers is a thunk, which
// only the cold paths use (a closure per call is an allocation). If a check ever shows up in
// `npm run bench`, make that check cheaper rather than adding a flag that would leave some runs
// unchecked.

/** A broken invariant: a bug in the simulator, never a user's mistake or a simulated failure. */
export class InvariantError extends Error {
  override name = "InvariantError";
}

/** Throws an InvariantError with `message` unless `condition` holds. */
export function invariant(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) invariantFailed(message);
}

/** Throws the InvariantError (kept out of invariant() so the passing path stays small enough to inline). */
export function invariantFailed(message: string | (() => string)): never {
  throw new InvariantError(`invariant broken: ${typeof message === "string" ? message : message()}`);
}
