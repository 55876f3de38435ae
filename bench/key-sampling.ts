// `npx tsx bench/key-sampling.ts`: how fast each key space draws samples on this machine, against a
// bare Alea draw. A benchmark, not a test: it prints figures and never fails (timing depends on the
// machine). Target: >= 30M zipf samples/s with Alea.

import seedrandom from "seedrandom";
import { hotspotKeys, type KeySpace, uniformKeys, zipfKeys } from "../sim/workload/keys/index.ts";

const draws = 20_000_000;

function perSecond(startNs: bigint): number {
  return draws / (Number(process.hrtime.bigint() - startNs) / 1e9);
}

function samplesPerSecond(space: KeySpace): number {
  const u = seedrandom.alea("throughput");
  // The sum is printed so the optimiser cannot drop the loop.
  let sum = 0;
  for (let d = 0; d < draws / 10; d++) sum += space.sample(u); // warm up the JIT
  const startNs = process.hrtime.bigint();
  for (let d = 0; d < draws; d++) sum += space.sample(u);
  const rate = perSecond(startNs);
  process.stdout.write(`  (sum ${sum})\n`);
  return rate;
}

function aleaPerSecond(): number {
  const u = seedrandom.alea("baseline");
  let sum = 0;
  const startNs = process.hrtime.bigint();
  for (let d = 0; d < draws; d++) sum += u();
  const rate = perSecond(startNs);
  process.stdout.write(`  (sum ${sum.toFixed(0)})\n`);
  return rate;
}

const rates = {
  alea: aleaPerSecond(),
  zipf: samplesPerSecond(zipfKeys({ cardinality: 10_000, exponent: 1.1 })),
  uniform: samplesPerSecond(uniformKeys({ cardinality: 10_000 })),
  hotspot: samplesPerSecond(hotspotKeys({ cardinality: 10_000, hotKeys: 10, hotShare: 0.5 })),
};
process.stdout.write(`key sampling (node ${process.version}), ${draws / 1e6}M draws each\n`);
for (const [name, rate] of Object.entries(rates)) process.stdout.write(`${name.padEnd(8)} ${(rate / 1e6).toFixed(1)}M samples/s\n`);
