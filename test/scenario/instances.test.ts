// The instance catalogue (sim/cost/instances.yaml) and how a scenario uses it: instanceType names come
// from the catalogue, a misspelt one gets a did-you-mean, and each Kafka system's brokers carry their
// resolved capacity (catalogue figures, replaced field by field by brokers.capacity).

import { describe, expect, it } from "vitest";
import { formatIssue, loadScenarioText, scenarioJsonSchema, type KafkaSystem, type Scenario } from "../../sim/scenario/index.ts";
import { brokerCapacity, instanceType, instanceTypeNames } from "../../sim/scenario/instance-catalogue.ts";

const file = "test/scenario/inline.yaml";

function kafkaScenario(brokers: string): string {
  return `name: brokers
duration: 1m
workload:
  - producer: sensors
    rate: { recordsPerSecond: 100 }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 10 }
systems:
  - name: msk
    kind: kafka
    brokers: ${brokers}
    topic: { partitions: 6 }
`;
}

function load(text: string): Scenario {
  const loaded = loadScenarioText(text, file);
  if (!loaded.ok) throw new Error(`expected a valid scenario:\n${loaded.issues.map(formatIssue).join("\n")}`);
  return loaded.scenario;
}

function issuesOf(text: string): string[] {
  const loaded = loadScenarioText(text, file);
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
}

function kafkaOf(scenario: Scenario): KafkaSystem {
  const system = scenario.systems[0];
  if (system.kind !== "kafka") throw new Error("expected a kafka system");
  return system;
}

describe("the instance catalogue", () => {
  const names = instanceTypeNames();

  it("loads, in file order, with the broker types the Kafka model supports", () => {
    expect(names).toEqual(["kafka.m5.large", "kafka.m5.xlarge", "kafka.m7g.large", "kafka.m7g.xlarge", "m5.xlarge"]);
  });

  it("gives every type positive whole capacities, the same bandwidth in and out, and a source for its figures", () => {
    for (const name of names) {
      const capacity = brokerCapacity(name);
      expect(Number.isInteger(capacity.networkInBytesPerSecond) && capacity.networkInBytesPerSecond > 0, name).toBe(true);
      expect(capacity.networkOutBytesPerSecond, name).toBe(capacity.networkInBytesPerSecond);
      expect(Number.isInteger(capacity.diskWriteBytesPerSecond) && capacity.diskWriteBytesPerSecond > 0, name).toBe(true);
      expect(Number.isInteger(capacity.requestHandlingUs) && capacity.requestHandlingUs >= 0, name).toBe(true);
      expect(instanceType(name).sources.length, name).toBeGreaterThan(0);
    }
  });

  it("converts decimal MB/s: kafka.m5.large has a 0.75 Gbps baseline and an 81.25 MB/s EBS baseline", () => {
    expect(brokerCapacity("kafka.m5.large")).toEqual({
      networkInBytesPerSecond: 93_750_000,
      networkOutBytesPerSecond: 93_750_000,
      diskWriteBytesPerSecond: 81_250_000,
      requestHandlingUs: 100,
    });
    // Self-managed on EC2: the gp3 volume's 125 MiB/s baseline binds before the instance's 143.75 MB/s.
    expect(brokerCapacity("m5.xlarge").diskWriteBytesPerSecond).toBe(125 * 1024 * 1024);
    expect(instanceType("m5.xlarge").kind).toBe("ec2");
    expect(instanceType("kafka.m7g.large").kind).toBe("msk");
  });

  it("throws for a name it lacks (scenarios are validated before they get here)", () => {
    expect(() => brokerCapacity("kafka.t3.small")).toThrow(/not in the instance catalogue/);
  });

  it("is what the JSON Schema offers for instanceType", () => {
    const schema = scenarioJsonSchema();
    for (const name of names) expect(schema).toContain(`"${name}"`);
  });
});

describe("brokers.instanceType in a scenario", () => {
  it.each(instanceTypeNames())("accepts %s and resolves the catalogue's capacity", (name) => {
    const kafka = kafkaOf(load(kafkaScenario(`{ count: 3, instanceType: ${name} }`)));
    expect(kafka.brokers.instanceType).toBe(name);
    expect(kafka.brokers.resolved).toEqual(brokerCapacity(name));
  });

  it("defaults to kafka.m5.large, whose capacity the loaded scenario carries", () => {
    const kafka = kafkaOf(load(kafkaScenario("{ count: 3 }")));
    expect(kafka.brokers.instanceType).toBe("kafka.m5.large");
    expect(kafka.brokers.resolved).toEqual({
      networkInBytesPerSecond: 93_750_000,
      networkOutBytesPerSecond: 93_750_000,
      diskWriteBytesPerSecond: 81_250_000,
      requestHandlingUs: 100,
    });
  });

  it("rejects a name the catalogue lacks, listing the names and suggesting the closest", () => {
    expect(issuesOf(kafkaScenario("{ count: 3, instanceType: kafka.m5.larg }"))).toEqual([
      `${file}:11:40 systems[0].brokers.instanceType: expected one of kafka.m5.large, kafka.m5.xlarge, kafka.m7g.large, kafka.m7g.xlarge, m5.xlarge, found "kafka.m5.larg" (did you mean "kafka.m5.large"?)`,
    ]);
    expect(issuesOf(kafkaScenario("{ count: 3, instanceType: r8g.huge }"))).toEqual([
      `${file}:11:40 systems[0].brokers.instanceType: expected one of kafka.m5.large, kafka.m5.xlarge, kafka.m7g.large, kafka.m7g.xlarge, m5.xlarge, found "r8g.huge"`,
    ]);
  });
});

describe("brokers.capacity overrides", () => {
  it("replace the catalogue's figures, in bytes per second and microseconds", () => {
    const kafka = kafkaOf(
      load(kafkaScenario("{ count: 3, instanceType: m5.xlarge, capacity: { networkIn: 100MB/s, networkOut: 200MB/s, diskWrite: 250MiB/s, requestTime: 250us } }")),
    );
    expect(kafka.brokers.resolved).toEqual({
      networkInBytesPerSecond: 100_000_000,
      networkOutBytesPerSecond: 200_000_000,
      diskWriteBytesPerSecond: 250 * 1024 * 1024,
      requestHandlingUs: 250,
    });
  });

  it("replace only the fields given; the rest stay the catalogue's", () => {
    const kafka = kafkaOf(load(kafkaScenario("{ count: 3, instanceType: kafka.m7g.xlarge, capacity: { diskWrite: 312.5MiB/s } }")));
    expect(kafka.brokers.resolved).toEqual({ ...brokerCapacity("kafka.m7g.xlarge"), diskWriteBytesPerSecond: 327_680_000 });
  });

  it("may set the request time to zero (analytic validation), but no byte rate to zero", () => {
    expect(kafkaOf(load(kafkaScenario("{ count: 3, capacity: { requestTime: 0s } }"))).brokers.resolved.requestHandlingUs).toBe(0);
    expect(issuesOf(kafkaScenario("{ count: 3, capacity: { networkOut: 0MB/s } }"))).toEqual([
      `${file}:11:50 systems[0].brokers.capacity.networkOut: expected a byte rate above zero, such as "100MB/s", found "0MB/s"`,
    ]);
  });

  it("are checked like any block: units and field names", () => {
    expect(issuesOf(kafkaScenario("{ count: 3, capacity: { networkIn: 100, requestTme: 1ms } }"))).toEqual([
      `${file}:11:49 systems[0].brokers.capacity.networkIn: expected a rate such as "6000 records/s", "10MB/s" or "512KiB/s" (records/s, or a size unit B, KB, MB, GB, TB, KiB, MiB, GiB, TiB followed by /s, case-sensitive; plain decimals, no exponents), found 100`,
      `${file}:11:54 systems[0].brokers.capacity.requestTme: unknown field "requestTme"; did you mean "requestTime"? expected one of: networkIn, networkOut, diskWrite, requestTime`,
    ]);
  });
});
