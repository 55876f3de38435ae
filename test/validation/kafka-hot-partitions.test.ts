// Hot partitions beyond chance (balls into bins). K equally busy keys hashed uniformly into P
// partitions put Poisson(K/P) keys in each (the binomial's limit), so the busiest of many partitions
// holds several times the mean by chance alone: for K = 1,000 and P = 1,100 (mean 0.91), the fewest
// keys that fewer than 5% of runs see in any partition is 8 (1,100 x Pr[Poisson(0.91) >= 8] = 0.006,
// >= 7: 0.054), a share of 0.8%, while a fair share is 0.09%. A partition at 2x fair holding 2 of
// the 1,000 keys is therefore chance, not a hot partition. With at most half as many keys as
// partitions, one average key already takes twice a fair share: every partition holding one is hot.
// The list names the 5 busiest and sums up the rest in one finding.

import { describe, expect, it } from "vitest";
import { chanceMaxShare } from "../../sim/kafka/findings.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const scenario = (partitions: number, keys: number) => `name: hot
seed: 1
duration: 20s
warmup: 0s
workload:
  - producer: p
    rate: { recordsPerSecond: 500, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: ${keys} }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: ${partitions} }
    consumerGroups: [ { name: g, consumers: 3 } ]
`;

function hot(partitions: number, keys: number) {
  const loaded = loadScenarioText(scenario(partitions, keys), "test/validation/kafka-hot-partitions.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).systems[0]!.findings.filter((finding) => finding.code === "hot-partition");
}

describe("hot-partition needs evidence beyond hashing chance, and lists only the busiest", () => {
  it("the chance bound is the Poisson tail: 8 of 1,000 keys over 1,100 partitions", () => {
    expect(chanceMaxShare(1000, 1100)).toBeCloseTo(8 / 1000, 6);
    expect(chanceMaxShare(0, 10)).toBe(0);
    expect(chanceMaxShare(1, 10)).toBe(0);
  });

  it("1,000 uniform keys on 400 partitions: collisions of a few keys are not reported", () => {
    const findings = hot(400, 1000);
    expect(findings).toEqual([]);
  });

  it("20 keys on 200 partitions: each partition holding a key is hot; 5 are named and the rest summed up", () => {
    const findings = hot(200, 20);
    expect(findings).toHaveLength(6);
    expect(findings[5]!.subject).toMatch(/^\d+ more partitions$/);
    expect(Number(findings[5]!.evidence.partitions)).toBeGreaterThanOrEqual(8);
  });
});
