// Building blocks of the property tests' random scenarios: seeded draws, the workload blocks (rates,
// record sizes, keys) every system's generator shares, and replayable failures. A scenario's content
// depends only on its seed string, so a failing index is the same scenario on every machine.

import seedrandom from "seedrandom";

/** A random draw helper over one seeded stream. */
export function draws(u: () => number) {
  const int = (low: number, high: number): number => low + Math.floor(u() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(u() * items.length)]!;
  const chance = (probability: number): boolean => u() < probability;
  return { u, int, pick, chance };
}
export type Draws = ReturnType<typeof draws>;

/** Draws over the Alea stream named `seed`. */
export function seededDraws(seed: string): Draws {
  return draws(seedrandom.alea(seed));
}

/** A rate block: constant (70%) or two phases with a ramp; `perSecond` records/s over all producers. */
export function rate(d: Draws, producers: number, perSecond: { low: number; high: number }): string {
  const arrivals = d.pick(["poisson", "uniform"]);
  const draw = (): number => Math.round(d.int(perSecond.low, perSecond.high) / producers);
  if (d.chance(0.7)) return `{ recordsPerSecond: ${draw()}, arrivals: ${arrivals} }`;
  return `{ arrivals: ${arrivals}, phases: [ { duration: ${d.int(5, 30)}s, recordsPerSecond: ${draw()}, rampTo: ${draw()} }, { duration: ${d.int(5, 60)}s, recordsPerSecond: ${draw()} } ] }`;
}

export function recordSize(d: Draws): string {
  switch (d.pick(["fixed", "uniform", "lognormal", "weighted"])) {
    case "fixed":
      return `{ distribution: fixed, size: ${d.int(1, 4096)}B }`;
    case "uniform": {
      const min = d.int(1, 2048);
      return `{ distribution: uniform, min: ${min}B, max: ${min + d.int(0, 8192)}B }`;
    }
    case "lognormal": {
      const median = d.int(50, 2048);
      return `{ distribution: lognormal, median: ${median}B, p99: ${median * d.int(1, 20)}B }`;
    }
    default:
      return `{ distribution: weighted, sizes: [ { size: ${d.int(10, 1000)}B, weight: ${d.int(1, 9)} }, { size: ${d.int(1, 64)}KiB, weight: 1 } ] }`;
  }
}

export function keys(d: Draws): string {
  switch (d.pick(["uniform", "zipf", "fixed", "hotspot"])) {
    case "uniform": {
      const cardinality = d.int(1, 20000);
      return `{ distribution: uniform, cardinality: ${cardinality}, template: "${cardinality === 1 ? "only" : "k-{i}"}" }`;
    }
    case "zipf":
      return `{ distribution: zipf, cardinality: ${d.int(2, 20000)}, exponent: ${(0.5 + d.u()).toFixed(2)}, template: "z-{i}" }`;
    case "fixed":
      return `{ distribution: fixed, key: "fixed-${d.int(0, 99)}" }`;
    default:
      return `{ distribution: hotspot, cardinality: ${d.int(10, 20000)}, hotKeys: ${d.int(1, 5)}, hotShare: ${(0.05 + 0.55 * d.u()).toFixed(2)}, template: "h-{i}" }`;
  }
}

/** Runs `check`; on failure the error carries the scenario's YAML, so the run can be replayed. */
export function replayable(generated: { index: number; yaml: string }, check: () => void): void {
  try {
    check();
  } catch (error) {
    const replay = `\n\nFailing scenario ${generated.index < 0 ? "" : `${generated.index} `}(save it as x.yaml and replay with: npx tsx sim/cli/main.ts run x.yaml):\n${generated.yaml}`;
    if (error instanceof Error) error.message += replay;
    throw error;
  }
}
