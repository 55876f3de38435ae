// Partition replicas per broker (docs/reference.md §3.3). Source: Amazon MSK Developer Guide, "Best
// practices for Standard brokers", right-size your cluster: number of partitions per Standard broker
// (leader and follower replicas): kafka.t3.small 300 (300 for updates), m5/m7g large and xlarge 1,000
// (1,500), 2xlarge 2,000 (3,000), 4xlarge and larger 4,000 (6,000). The figures are recommendations,
// not enforced: the model warns, it does not refuse.

import { describe, expect, it } from "vitest";
import { mskPartitionReplicasPerBroker } from "../../sim/kafka/limits.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

describe("MSK's partitions-per-broker table", () => {
  it.each([
    ["kafka.t3.small", 300, 300],
    ["kafka.m5.large", 1000, 1500],
    ["kafka.m5.xlarge", 1000, 1500],
    ["kafka.m5.2xlarge", 2000, 3000],
    ["kafka.m5.4xlarge", 4000, 6000],
    ["kafka.m5.24xlarge", 4000, 6000],
    ["kafka.m7g.large", 1000, 1500],
    ["kafka.m7g.xlarge", 1000, 1500],
    ["kafka.m7g.2xlarge", 2000, 3000],
    ["kafka.m7g.16xlarge", 4000, 6000],
  ])("%s: %i recommended, %i for updates", (instanceType, recommended, updatable) => {
    expect(mskPartitionReplicasPerBroker(instanceType)).toEqual({ recommended, updatable });
  });

  it("has no figure for self-managed EC2 brokers", () => {
    expect(mskPartitionReplicasPerBroker("m5.xlarge")).toBeNull();
  });
});

// Three kafka.m5.large brokers with RF 3: every broker holds a replica of every partition, so
// P partitions are P replicas per broker; 1,000 is the recommendation, 1,001 passes it.
function run(partitions: number, instanceType: string) {
  const loaded = loadScenarioText(
    `
name: partitions-per-broker
duration: 5s
workload:
  - producer: p
    rate: { recordsPerSecond: 100 }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 100, template: "k-{i}" }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: ${instanceType} }
    topic: { partitions: ${partitions}, replicationFactor: 3 }
`,
    "partitions-per-broker.yaml",
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).systems[0]!.findings.filter((finding) => finding.code === "partitions-per-broker");
}

describe("a broker above MSK's recommended partition replicas gets a warning", () => {
  it("1,000 replicas per kafka.m5.large broker: none", () => {
    expect(run(1000, "kafka.m5.large")).toEqual([]);
  });

  it("1,001 replicas per kafka.m5.large broker: one warning per broker, naming the figure, the source and the fix", () => {
    const findings = run(1001, "kafka.m5.large");
    expect(findings.map((finding) => finding.subject)).toEqual(["broker-0", "broker-1", "broker-2"]);
    const [first] = findings;
    expect(first!.severity).toBe("warning");
    expect(first!.evidence).toMatchObject({ partitionReplicas: 1001, recommendedMax: 1000, updatableMax: 1500 });
    expect(first!.message).toContain("1,000 Amazon MSK recommends");
    expect(first!.message).toContain("MSK best practices");
    expect(first!.message).toMatch(/Add brokers, use a larger instance type, or use fewer partitions/);
  });

  it("self-managed brokers on EC2 have no MSK figure: no warning", () => {
    expect(run(1001, "m5.xlarge")).toEqual([]);
  });
});
