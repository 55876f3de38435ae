// Named random streams derived from one scenario seed (seedrandom's Alea generator).
//
// Each stream is seeded from (seed, name) alone, so adding a component with a new stream name
// never changes the numbers any other component draws, and two copies of a stream with the same
// name (one per simulated system, for common random numbers) draw identical sequences.

import seedrandom from "seedrandom";

/** A uniform double in [0, 1). */
export type Uniform = () => number;

export class RandomStreams {
  private readonly names = new Set<string>();

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  }

  /**
   * A new stream for `name`. Each call returns a fresh generator at the start of the sequence:
   * replaying a workload for a second system asks for the same name again.
   */
  stream(name: string): Uniform {
    this.names.add(name);
    return seedrandom.alea(`${this.seed}\u0000${name}`) as Uniform;
  }

  /** Names of the streams asked for so far, sorted (for reports and replay instructions). */
  streamNames(): string[] {
    return [...this.names].sort();
  }
}
