// Each kind's configuration as the report's configuration table shows it: built from the resolved
// scenario, so what a scenario leaves out shows as the default that ran: KCL 2.x/3.x polling every
// 1.5 s (docs/reference.md §1.8); MSK's replication factor 3 and min.insync.replicas 2 on 3 brokers and
// Kafka's 7-day retention (docs/reference.md §3.3); linger.ms 5 (docs/reference.md §3.2); the SDK's
// standard retry of 3 attempts and SQS's 4-day retention (docs/reference.md §4).

import { describe, expect, it } from "vitest";
import { configurationRegistry, modelRegistry, systemConfiguration } from "../../sim/run/index.ts";
import { loadScenarioText, type Scenario } from "../../sim/scenario/index.ts";

function scenario(systemsYaml: string): Scenario {
  const text = [
    "name: configuration",
    "duration: 1m",
    "workload:",
    "  - producer: app",
    "    rate: { recordsPerSecond: 10 }",
    "    recordSize: { distribution: fixed, size: 1KiB }",
    "    keys: { distribution: uniform, cardinality: 10 }",
    "systems:",
    systemsYaml,
  ].join("\n");
  const loaded = loadScenarioText(text, "test/run/configuration.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues, null, 2));
  return loaded.scenario;
}

const configurationOf = (systemsYaml: string) => systemConfiguration(scenario(systemsYaml).systems[0]);

describe("system configuration", () => {
  it("has an entry for every kind a model has", () => {
    expect(Object.keys(configurationRegistry).sort()).toEqual(Object.keys(modelRegistry).sort());
  });

  it("shows a Kinesis stream's defaults as they ran", () => {
    const configuration = configurationOf(`
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 4 }
    consumers: [ { name: analytics, type: polling, processing: { perRecord: 20us } }, { name: alerts, type: enhanced-fan-out } ]`);
    expect(configuration).toMatchObject({
      capacity: "provisioned, 4 shards",
      partitions: 4,
      instanceType: null,
      replicationCopies: 3,
      acknowledgement: "replicated",
      retentionUs: 24 * 3_600_000_000,
      retention: "24 h",
      producer: { lingerUs: 100_000, retry: "up to 3 attempts, backoff 100ms to 20s, full jitter" },
    });
    expect(configuration.consumers).toEqual([
      { name: "analytics", type: "polling (GetRecords)", instances: 4, instancesOf: "shard workers", processingPerRecordUs: 20, processingPerBatchUs: 0, reading: "polls every 1.5s for up to 10000 records" },
      expect.objectContaining({ name: "alerts", type: "enhanced fan-out (SubscribeToShard)", instances: 4 }),
    ]);
  });

  it("shows the KPL's retry and aggregation when the scenario asks for them", () => {
    const configuration = configurationOf(`
  - name: kds
    kind: kinesis
    capacity: { mode: on-demand }
    retention: 7d
    producer: { retry: { policy: ttl }, aggregation: { enabled: true } }`);
    expect(configuration.capacity).toBe("on-demand (standard), 4 shards at the start, scaled by the service");
    expect(configuration.retention).toBe("7 days");
    expect(configuration.producer.retry).toBe("until the record is 30s old (KPL RecordTtl), resent without backoff at up to 150% of each shard's limit (KPL rate limiting)");
    expect(configuration.producer.batching).toContain("KPL aggregation into records of up to 50KiB");
  });

  it("shows MSK's replication defaults and Kafka's producer defaults", () => {
    const configuration = configurationOf(`
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 12 }
    consumerGroups: [ { name: analytics, consumers: 3 } ]`);
    expect(configuration).toMatchObject({
      capacity: "3 brokers, topic events of 12 partitions",
      partitions: 12,
      instanceType: "kafka.m5.large",
      replicationCopies: 3,
      replication: "replication factor 3, min.insync.replicas 2, unclean leader election on",
      acknowledgement: "replicated",
      acks: "acks=all",
      retention: "7 days",
      producer: { lingerUs: 5000, batching: "batch.size 16KiB, linger.ms 5ms", retry: "until delivery.timeout.ms 2m, backoff 100ms to 1s" },
    });
    expect(configuration.consumers[0]).toMatchObject({ type: "consumer group (range)", instances: 3, instancesOf: "consumers" });
  });

  it("acknowledges after the leader alone with acks=1, or with a single replica (self-managed default)", () => {
    const acks1 = configurationOf(`
  - name: msk
    kind: kafka
    brokers: { count: 3 }
    topic: { partitions: 6 }
    producer: { acks: 1 }`);
    expect(acks1.acknowledgement).toBe("leader");
    const selfManaged = configurationOf(`
  - name: ec2
    kind: kafka
    brokers: { count: 3, instanceType: m5.xlarge }
    topic: { partitions: 6, retention: 24h, retentionBytes: 1GiB }`);
    expect(selfManaged).toMatchObject({ replicationCopies: 1, acknowledgement: "leader", retention: "24 h or 1GiB per partition" });
  });

  it("shows an SQS queue as replicated by the service with copies unpublished", () => {
    const configuration = configurationOf(`
  - name: queue
    kind: sqs
    consumers: [ { name: workers, count: 10, maxMessages: 10, waitTime: 20s } ]`);
    expect(configuration).toMatchObject({
      capacity: "standard queue",
      partitions: null,
      replicationCopies: null,
      acknowledgement: "replicated",
      retention: "4 days",
      producer: { lingerUs: 0, batching: "one message per SendMessage", retry: "up to 3 attempts, backoff 100ms to 20s, full jitter" },
    });
    expect(configuration.consumers[0]).toMatchObject({ instances: 10 });
    // The model receives whole batches: the setting says so, where a reader compares it with SQS's own behaviour.
    expect(configuration.consumers[0].reading).toBe(
      "long polls (20s) for up to 10 messages (modelled as whole batches: a receive takes every visible message up to 10, where SQS may return fewer, and one DeleteMessageBatch follows the whole batch's processing)",
    );
  });
});
