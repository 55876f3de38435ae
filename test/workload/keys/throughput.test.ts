// Sampling speed, printed for the record and never asserted (timing depends on the machine).
// Target: >= 30M zipf samples/s with Alea.
import seedrandom from "seedrandom";
import { expect, it } from "vitest";
import { hotspotKeys, type KeySpace, uniformKeys, zipfKeys } from "../../../sim/workload/keys/index.ts";

function samplesPerSecond(space: KeySpace, draws: number): number {
  const u = seedrandom.alea("throughput");
  let checksum = 0;
  for (let d = 0; d < draws / 10; d++) checksum += space.sample(u); // warm up the JIT
  const startNs = process.hrtime.bigint();
  for (let d = 0; d < draws; d++) checksum += space.sample(u);
  const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
  expect(checksum).toBeGreaterThan(0);
  return draws / seconds;
}

it("prints sampling throughput", () => {
  const draws = 20_000_000;
  const u = seedrandom.alea("baseline");
  let sum = 0;
  const startNs = process.hrtime.bigint();
  for (let d = 0; d < draws; d++) sum += u();
  const aleaRate = draws / (Number(process.hrtime.bigint() - startNs) / 1e9);
  expect(sum).toBeGreaterThan(0);
  const rates = {
    alea: aleaRate,
    zipf: samplesPerSecond(zipfKeys({ cardinality: 10_000, exponent: 1.1 }), draws),
    uniform: samplesPerSecond(uniformKeys({ cardinality: 10_000 }), draws),
    hotspot: samplesPerSecond(hotspotKeys({ cardinality: 10_000, hotKeys: 10, hotShare: 0.5 }), draws),
  };
  for (const [name, rate] of Object.entries(rates)) console.log(`${name}: ${(rate / 1e6).toFixed(1)}M samples/s`);
});
