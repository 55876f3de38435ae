// Hand-built inputs for the cost model: systems parsed from scenario text (so every default is the
// real one) and SystemResults that carry only what the cost model reads (partitions' open times, usage).

import { LogHistogram, newSqsUsage, type FirehoseUsage, type KafkaUsage, type KinesisUsage, type PartitionResult, type SqsUsage, type SystemResult } from "../../sim/metrics/index.ts";
import { loadScenarioText, type Scenario, type System } from "../../sim/scenario/index.ts";

export const minuteUs = 60_000_000;
export const hourUs = 3_600_000_000;
export const GB = 1024 ** 3;

/** A scenario with the given systems block (YAML, indented under `systems:`) and optional top-level extras. */
export function scenarioWith(systemsYaml: string, extra = "", duration = "1h", warmup = "0s"): Scenario {
  const text = [
    "name: cost-fixture",
    `duration: ${duration}`,
    `warmup: ${warmup}`,
    extra,
    "workload:",
    "  - producer: app",
    "    rate: { recordsPerSecond: 10 }",
    "    recordSize: { distribution: fixed, size: 1KiB }",
    "    keys: { distribution: uniform, cardinality: 10 }",
    "systems:",
    systemsYaml,
  ].join("\n");
  const loaded = loadScenarioText(text, "test/cost/inline.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues, null, 2));
  return loaded.scenario;
}

export function onlySystem(scenario: Scenario): System {
  return scenario.systems[0];
}

/** A partition open over [openedUs, closedUs); the other fields are not read by the cost model. */
export function partition(index: number, openedUs: number, closedUs: number | null): PartitionResult {
  return { id: `p-${index}`, acceptedRecords: 0, acceptedBytes: 0, throttledAttempts: 0, peakWriteUtilization: 0, openedUs, closedUs } as PartitionResult;
}

/** Usage for a hand-built result: the fields a test gives, over zeros for the rest of its kind's usage. */
export type UsageInput = Partial<KinesisUsage> | Partial<KafkaUsage> | Partial<SqsUsage> | Partial<FirehoseUsage>;

const zeroUsage: { [K in SystemResult["kind"]]: Extract<SystemResult, { kind: K }>["usage"] } = {
  kinesis: { putPayloadUnits: 0, recordsWritten: 0, bytesWritten: 0, billedBytesWritten: 0, bytesReadByConsumer: {} },
  kafka: { recordsAccepted: 0, bytesAccepted: 0, logBytes: 0, replicatedBytesByBroker: [], recordsConsumedByGroup: {}, bytesConsumedByGroup: {}, storageByPartition: [] },
  sqs: newSqsUsage(),
  firehose: { recordsIngested: 0, bytesIngested: 0, billedIngestBytes: 0, convertedBilledBytes: 0, partitionedBytes: 0, partitionedObjects: 0, s3PutRequests: 0, s3BytesWritten: 0 },
};

export function result(name: string, kind: SystemResult["kind"], usage: UsageInput, partitions: PartitionResult[] = []): SystemResult {
  // The cost model reads no series, so none are built; the cast covers the empty series and the usage's kind.
  return {
    name,
    kind,
    records: { produced: 0, accepted: 0, throttledAttempts: 0, dropped: 0, pending: 0 },
    bytes: { produced: 0, accepted: 0 },
    producerLatency: new LogHistogram(),
    partitions,
    consumers: [],
    findings: [],
    series: {},
    facts: {},
    usage: { ...zeroUsage[kind], ...usage },
  } as unknown as SystemResult;
}
