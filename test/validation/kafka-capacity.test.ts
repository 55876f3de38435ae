// Cluster capacity against AWS's right-sizing guide [MSK-SIZE], Equation 1 (docs/reference.md §3.5):
// throughput limit = min(brokers x EBS throughput / RF, brokers x network baseline / (groups + RF - 1)).
// 3 x kafka.m5.large (EBS baseline 81.25 MB/s, network 93.75 MB/s each way), RF 3, one group:
// min(3 x 81.25 / 3, 3 x 93.75 / 3) = 81.25 MB/s, bound by EBS. At 50 MB/s (62%) the cluster keeps
// up; at 90 MB/s (above the limit) each broker's log volume saturates and the finding names it.
// Records of 10,000 B (+ key, framing and batch headers, ~1% more on disk).

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const scenario = (mbPerSecond: number) => `name: kafka-capacity-${mbPerSecond}
seed: 1
duration: 40s
warmup: 10s
workload:
  - producer: p
    rate: { recordsPerSecond: ${mbPerSecond * 100}, arrivals: poisson }
    recordSize: { distribution: fixed, size: 10000B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 12, replicationFactor: 3, minInsyncReplicas: 2 }
    consumerGroups:
      - { name: g, consumers: 3 }
`;

function run(mbPerSecond: number) {
  const loaded = loadScenarioText(scenario(mbPerSecond), `test/validation/kafka-capacity-${mbPerSecond}.yaml`);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).systems[0];
}

describe("Kafka cluster capacity: AWS right-sizing Equation 1 (81.25 MB/s for 3 x kafka.m5.large, RF 3, one group)", () => {
  it("at 50 MB/s (62% of it) the cluster keeps up: >= 99% accepted, p99 well under a second, no saturated broker", () => {
    const system = run(50);
    const { produced, accepted } = system.records;
    expect(accepted / produced).toBeGreaterThanOrEqual(0.99);
    expect(system.producerLatency.quantile(0.99)).toBeLessThan(200_000);
    expect(system.findings.some((finding) => finding.code === "saturated-broker")).toBe(false);
  });

  it("at 90 MB/s (above it) every broker's log volume saturates and the finding names DiskWrite", () => {
    const system = run(90);
    const saturated = system.findings.filter((finding) => finding.code === "saturated-broker");
    expect(saturated.length).toBe(3);
    for (const finding of saturated) expect(finding.evidence.resource).toBe("DiskWrite");
    // The disk writes at most 81.25 MB/s per broker (each holds every partition at RF 3 on 3 brokers).
    expect(system.bytes.accepted / 40).toBeLessThan(81.25e6);
  });
});
