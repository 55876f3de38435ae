// Conservation of records in the Kafka model (docs/design.md "Accounting must close"), as a property over
// random small scenarios: 1-5 brokers, 1-24 partitions, replication up to 3, acks 0/1/all, batching
// from one record per request to large batches, delivery timeouts short enough to drop records,
// 0-3 consumer groups of 1-6 members with each assignment strategy, processing that keeps up or falls
// behind, retention that sometimes expires records, uniform, zipf, fixed and hotspot keys, and
// timelines of broker failures, consumer crashes and added partitions; some scenarios hold a Kinesis
// stream beside the Kafka cluster. Every identity must close exactly, each term counted where the
// model counts it, and a scenario run twice must give the same results. A failure prints the
// scenario's YAML for replay.

import { describe, expect, it } from "vitest";
import { resultOfKind, type SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { expectAccountingCloses, expectCount, sum } from "../support/accounting.ts";
import { keys, rate, recordSize, replayable, seededDraws, type Draws } from "../support/property.ts";

const scenarioCount = Number(process.env.STREAMSIM_PROPERTY_SCENARIOS ?? 20);
/** All 20 scenarios, each run twice, take about 10 s alone; the margin is for a loaded machine (scenario 78, with Lambda consumers, took 48-53 s at a load of 25). */
const scenarioTimeoutMs = 120_000;

interface KafkaFacts {
  acks: "0" | "1" | "all";
  brokerDown: boolean;
  addPartitions: boolean;
  /** Groups a member of which the timeline crashes. */
  crashedGroups: Set<string>;
}

interface Generated {
  index: number;
  yaml: string;
  durationS: number;
  warmupS: number;
  /** What the generator put in each Kafka system, by name, for the checks that depend on it. */
  kafka: Map<string, KafkaFacts>;
}

function generateScenario(index: number): Generated {
  const d = seededDraws(`kafka-accounting/${index}`);
  const durationS = d.int(20, 60);
  const warmupS = d.int(0, 10);
  const lines = [
    `name: kafka-accounting-${index}`,
    `seed: ${d.int(0, 1_000_000)}`,
    `duration: ${durationS}s`,
    `warmup: ${warmupS}s`,
    `report: { interval: ${d.pick([1, 5, 10, 30])}s }`,
    "workload:",
  ];
  const producerCount = d.chance(0.25) ? 2 : 1;
  for (let p = 0; p < producerCount; p++) {
    lines.push(`  - producer: p${p}`, `    rate: ${rate(d, producerCount, { low: 50, high: 3000 })}`, `    recordSize: ${recordSize(d)}`, `    keys: ${keys(d)}`);
  }
  lines.push("systems:");
  const kafka = new Map<string, KafkaFacts>();
  const timeline: string[] = [];
  const kafkaCount = d.chance(0.2) ? 2 : 1;
  for (let s = 0; s < kafkaCount; s++) {
    const system = kafkaSystem(d, `msk${s}`, durationS, seededDraws(`kafka-accounting-lambda/${index}/${s}`));
    lines.push(...system.lines);
    kafka.set(system.name, system.facts);
    timeline.push(...system.timeline);
  }
  if (d.chance(0.3)) {
    lines.push(
      "  - name: kds",
      "    kind: kinesis",
      `    capacity: { mode: provisioned, shards: ${d.int(1, 6)} }`,
      "    consumers: [ { name: c0, type: polling, pollInterval: 1s } ]",
    );
  }
  lines.push(timeline.length === 0 ? "timeline: []" : "timeline:", ...timeline);
  return { index, yaml: `${lines.join("\n")}\n`, durationS, warmupS, kafka };
}

/** KEDA that acts within these short runs: 1-5 s polls, short windows and start-ups, scaling to zero now and then. */
function groupAutoscaling(d: Draws, consumers: number): string {
  if (!d.chance(0.4)) return "";
  const fields = [
    `lagThreshold: ${d.pick([10, 500, 5000])}`,
    `pollingInterval: ${d.int(1, 5)}s`,
    `cooldownPeriod: ${d.pick([0, 10])}s`,
    `minReplicaCount: ${d.pick([0, 1, consumers])}`,
    `maxReplicaCount: ${consumers + d.pick([0, 2, 30])}`,
    `allowIdleConsumers: ${d.chance(0.5)}`,
    `stabilizationWindow: ${d.pick([0, 5, 30])}s`,
    `startupDelay: ${d.pick(["0s", "1s", "10s"])}`,
    `activationLagThreshold: ${d.pick([0, 0, 100])}`,
  ];
  return `, autoscaling: { ${fields.join(", ")} }`;
}

function kafkaSystem(d: Draws, name: string, durationS: number, l: Draws): { name: string; lines: string[]; facts: KafkaFacts; timeline: string[] } {
  // MSK brokers are a multiple of their 2 or 3 Availability Zones (a lone broker is let through).
  const brokers = [1, 2, 3, 4, 6][d.int(1, 5) - 1];
  const partitions = d.int(1, 24);
  const replicationFactor = d.int(1, Math.min(3, brokers));
  const acks = d.pick(["0", "1", "all"] as const);
  // Retention shorter than the run, now and then, so that groups that fall behind lose records to it.
  const retention = d.chance(0.25) ? `${d.int(3, Math.max(3, Math.floor(durationS / 2)))}s` : "168h";
  // A broker capacity low enough to saturate now and then (requests then wait, some are still
  // outstanding at the end, and a short delivery timeout drops some).
  const capacity = d.chance(0.25) ? `, capacity: { diskWrite: "${d.pick([1, 2, 5])}MB/s", requestTime: ${d.pick([100, 500, 2000])}us }` : "";
  const lines = [
    `  - name: ${name}`,
    "    kind: kafka",
    `    brokers: { count: ${brokers}, instanceType: kafka.m5.large${capacity} }`,
    `    topic: { partitions: ${partitions}, replicationFactor: ${replicationFactor}, minInsyncReplicas: ${d.int(1, replicationFactor)}, retention: ${retention} }`,
    `    producer: { acks: ${acks}, linger: ${d.pick([0, 1, 5, 20, 100])}ms, batchSize: ${d.pick(["1KiB", "16KiB", "64KiB", "1MiB"])}, ` +
      `deliveryTimeout: ${d.pick([3, 10, 30, 120])}s, ` +
      `latency: ${d.pick(["{ median: 0ms, p99: 0ms }", "{ median: 2ms, p99: 10ms }", "{ median: 500us, p99: 50ms }"])} }`,
  ];
  const groups: Array<{ name: string; consumers: number }> = [];
  const groupCount = d.int(0, 3);
  // Lambda consumers come from draws of their own, so the scenarios without them are those the generator always made.
  const lambdas = lambdaConsumers(l);
  lines.push(groupCount === 0 && lambdas.length === 0 ? "    consumerGroups: []" : "    consumerGroups:");
  // Autoscaled groups from draws of their own too (members joining and leaving: each a rebalance).
  const scaling = seededDraws(`kafka-accounting-autoscaling/${name}/${partitions}/${durationS}`);
  for (let g = 0; g < groupCount; g++) {
    const consumers = d.int(1, 6);
    groups.push({ name: `g${g}`, consumers });
    // Some keep up, some fall behind: 1 ms per record caps a member at 1,000 records/s, 3 ms at 333.
    // fetchMaxWait is never 0: see the expected failure below.
    lines.push(
      `      - { name: g${g}, consumers: ${consumers}, assignment: ${d.pick(["range", "roundrobin", "cooperative-sticky"])}, ` +
        `maxPollRecords: ${d.pick([1, 10, 100, 500, 5000])}, fetchMaxWait: ${d.pick([1, 10, 100, 500])}ms, autoCommitInterval: ${d.pick([1, 5, 30])}s, ` +
        `processing: { perRecord: ${d.pick([0, 20, 200, 1000, 3000])}us, perBatch: ${d.pick([0, 1, 5, 50])}ms }${groupAutoscaling(scaling, consumers)} }`,
    );
  }
  lines.push(...lambdas);
  if (lambdas.length > 0 && l.chance(0.3)) lines.push(`    lambdaAccount: { concurrencyLimit: ${l.pick([2, 5, 20])} }`);
  // A consumer's crash is noticed after 45 s and a broker is fenced after 9 s: actions come early
  // enough, often enough, for both to happen within the run.
  const facts: KafkaFacts = { acks, brokerDown: false, addPartitions: false, crashedGroups: new Set() };
  const timeline: string[] = [];
  const actionCount = d.pick([0, 0, 1, 2, 3]);
  let partitionCount = partitions;
  for (let a = 0; a < actionCount; a++) {
    const atS = d.int(1, Math.max(1, Math.floor(durationS / 3)));
    const kind = d.pick(["broker-down", "consumer-crash", "add-partitions"] as const);
    if (kind === "broker-down") {
      facts.brokerDown = true;
      // The broker is back before the end: a partition still offline at the end breaks collect (see
      // the expected failure below).
      const forS = d.int(1, Math.min(30, durationS - atS - 1));
      timeline.push(`  - { at: ${atS}s, system: ${name}, action: broker-down, broker: ${d.int(0, brokers - 1)}, for: ${forS}s }`);
    } else if (kind === "consumer-crash") {
      if (groups.length === 0) continue;
      const group = d.pick(groups);
      facts.crashedGroups.add(group.name);
      timeline.push(`  - { at: ${atS}s, system: ${name}, action: consumer-crash, group: ${group.name}, consumer: ${d.int(0, group.consumers - 1)} }`);
    } else {
      partitionCount += d.int(1, 6);
      facts.addPartitions = true;
      timeline.push(`  - { at: ${atS}s, system: ${name}, action: add-partitions, partitions: ${partitionCount} }`);
    }
  }
  return { name, lines, facts, timeline };
}

/**
 * 0-2 Lambda consumers (event source mappings): batches from 1 to 1,000 records, with or without a
 * batching window, functions that keep up or fall behind, transient errors and poison records handled
 * by retries, bisection, partial batch responses, a record age limit and a failure destination, pollers
 * on demand or provisioned; now and then an account limit low enough to throttle.
 */
function lambdaConsumers(l: Draws): string[] {
  const count = l.pick([0, 0, 1, 1, 2]);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const pollers = l.chance(0.5) ? "{ mode: on-demand }" : `{ mode: provisioned, minimumPollers: ${l.int(1, 3)}, maximumPollers: ${l.int(3, 10)} }`;
    const errors = l.chance(0.5) ? "{}" : `{ probability: ${l.pick([0, 0.001, 0.02])}, poisonRecords: ${l.pick([0, 0.0005, 0.01])} }`;
    lines.push(
      `      - { name: fn${i}, type: lambda, batchSize: ${l.pick([1, 10, 100, 1000])}, maximumBatchingWindow: ${l.pick(["0s", "100ms", "500ms", "2s"])}, pollers: ${pollers}, ` +
        `maximumRetryAttempts: ${l.pick([-1, 0, 2])}, maximumRecordAge: ${l.pick(["-1", "60s"])}, bisectBatchOnFunctionError: ${l.chance(0.5)}, ` +
        `reportBatchItemFailures: ${l.chance(0.3)}, onFailureDestination: ${l.chance(0.5)}, latency: { median: ${l.pick(["0ms", "2ms"])}, p99: 10ms }, ` +
        `function: { duration: { perBatch: ${l.pick([0, 5, 50, 500])}ms, perRecord: ${l.pick([0, 100, 1000])}us, distribution: ${l.pick(["fixed", "exponential"])} }, ` +
        `timeout: ${l.pick(["3s", "60s"])}, errors: ${errors} } }`,
    );
  }
  return lines;
}

/**
 * The generated runs take under a million events each; a budget of 20 million makes a model that
 * stops advancing time fail in a second or two instead of hanging the suite.
 */
const eventBudget = 20_000_000;

function run(generated: Generated, budget = eventBudget) {
  const loaded = loadScenarioText(generated.yaml, `test/kafka/accounting-${generated.index}.yaml`);
  if (!loaded.ok) throw new Error(`generated scenario does not load: ${JSON.stringify(loaded.issues)}`);
  return runScenario(loaded.scenario, { eventBudget: budget });
}

function checkKafka(system: SystemResult, generated: Generated): void {
  const facts = generated.kafka.get(system.name)!;
  const { accepted, throttledAttempts } = system.records;
  // Attempts fail only for want of a leader or of in-sync replicas, which only a broker failure brings.
  if (!facts.brokerDown) expect(throttledAttempts, `${system.name}: throttledAttempts without a broker failure`).toBe(0);
  // Drops happen at the delivery timeout (an outage, a saturated broker, or an extreme network delay
  // drawn from a wide latency distribution): the identities above account for them.
  expect(system.partitions.map((p) => p.id), `${system.name}: partition ids`).toEqual(system.partitions.map((_, i) => `events-${i}`));
  expect(system.partitions.length, `${system.name}: partitions`).toBe(system.facts.finalPartitions);
  for (const partition of system.partitions) {
    expectCount(partition.acceptedRecords, `${partition.id} acceptedRecords`);
    expectCount(partition.acceptedBytes, `${partition.id} acceptedBytes`);
    // Counted twice, separately: the partition's total and its per-interval series.
    expect(partition.series.acceptedRecords.total, `${partition.id}: acceptedRecords series`).toBe(partition.acceptedRecords);
    expect(partition.series.acceptedBytes.total, `${partition.id}: acceptedBytes series`).toBe(partition.acceptedBytes);
    expect(partition.peakWriteUtilization, `${partition.id}: peak utilization`).toBeGreaterThanOrEqual(0);
  }
  // (The partitions' throttledAttempts are not summed against the system's: see the expected failure below.)
  // A partition's bytes are as stored (value, key, 8 bytes of framing per record); the system's are
  // the values alone.
  const storedBytes = sum(system.partitions.map((p) => p.acceptedBytes));
  expect(storedBytes - system.bytes.accepted, `${system.name}: framing of the accepted records`).toBeGreaterThanOrEqual(8 * accepted);
  // A request carries at least one record: no more requests than records sent, retries included.
  const requests = resultOfKind(system, "kafka").series.ProduceRequests;
  if (requests === undefined || !("total" in requests)) throw new Error(`${system.name}: no ProduceRequests counter`);
  expectCount(requests.total, `${system.name}: ProduceRequests`);
  expect(requests.total, `${system.name}: ProduceRequests <= produced + failed attempts`).toBeLessThanOrEqual(system.records.produced + throttledAttempts);
  if (accepted > 0) expect(requests.total, `${system.name}: ProduceRequests`).toBeGreaterThan(0);
  for (const consumer of system.consumers) {
    const r = consumer.records;
    const label = `${system.name}/${consumer.name}`;
    // Records are read twice only after a rebalance (a crash noticed, or partitions added) moved a
    // partition to a member that starts from the committed offset.
    // A Lambda consumer runs records again when a batch fails part way (its own checks follow).
    if (consumer.type === "lambda") {
      checkLambda(consumer, label, generated);
      continue;
    }
    if (!facts.crashedGroups.has(consumer.name) && !facts.addPartitions) expect(r.duplicates, `${label}: duplicates without a rebalance`).toBe(0);
    // Lost: acknowledged with acks 0 or 1, then gone with a failed leader. acks all acknowledges only
    // what every in-sync replica has. A group whose position retention deleted also loses the kept
    // records auto.offset.reset=latest skips (docs/reference.md §3.4): that needs records expired on it.
    if ((!facts.brokerDown || facts.acks === "all") && r.expired === 0) expect(r.lost, `${label}: lost`).toBe(0);
    expect(r.deadLettered, `${label}: Kafka has no dead-letter queue`).toBe(0);
    // End-to-end latencies are added per processed record (first time or again) after the warm-up.
    if (generated.warmupS === 0) expect(consumer.endToEndLatency.count, `${label}: an end-to-end latency per processed record`).toBe(r.consumed + r.duplicates);
    else expect(consumer.endToEndLatency.count, `${label}: end-to-end latencies after the warm-up`).toBeLessThanOrEqual(r.consumed + r.duplicates);
    // One lag sample inside every simulated second after the warm-up (the end is a whole second, which
    // starts no sample); records-lag is sampled on whole seconds, both ends included.
    expect(consumer.lag.count, `${label}: lag samples`).toBe(generated.durationS - generated.warmupS);
    expect(consumer.lagSamples.count, `${label}: lag samples kept for the trend`).toBe(consumer.lag.count);
    expect(consumer.native.histogram.count, `${label}: records-lag samples`).toBe(generated.durationS - generated.warmupS + 1);
    expect(consumer.nativePerPartition.length, `${label}: a records-lag series per partition`).toBe(system.partitions.length);
  }
}

/** A Lambda consumer: what it gave up is set aside (destination) or lost (discarded), and it measures like a group. */
function checkLambda(consumer: SystemResult["consumers"][number], label: string, generated: Generated): void {
  const r = consumer.records;
  const stats = consumer.lambda!;
  expect(stats, `${label}: a Lambda consumer reports its function`).toBeDefined();
  expect(r.deadLettered, `${label}: records sent to the destination`).toBe(stats.recordsSentToDestination);
  expect(r.lost, `${label}: lost includes what was discarded`).toBeGreaterThanOrEqual(stats.recordsDiscarded);
  // A success records a latency per record; a record run again before a failure does not.
  if (generated.warmupS === 0) expect(consumer.endToEndLatency.count, `${label}: an end-to-end latency per processed record`).toBe(r.consumed);
  else expect(consumer.endToEndLatency.count, `${label}: end-to-end latencies after the warm-up`).toBeLessThanOrEqual(r.consumed);
  expect(stats.peakConcurrency, `${label}: one batch per partition at a time`).toBeLessThanOrEqual(stats.partitions);
  expect(stats.accountPeakConcurrency, `${label}: within the account's limit`).toBeLessThanOrEqual(stats.accountConcurrencyLimit);
  expect(consumer.lag.count, `${label}: lag samples`).toBe(generated.durationS - generated.warmupS);
  expect(consumer.native.histogram.count, `${label}: offset-lag samples`).toBe(generated.durationS - generated.warmupS + 1);
  expect(consumer.nativePerPartition.length, `${label}: an offset-lag series per partition`).toBe(stats.partitions);
}

/** What must be identical between two runs of the same scenario. */
function fingerprint(systems: SystemResult[]) {
  return systems.map((system) => ({
    name: system.name,
    records: system.records,
    bytes: system.bytes,
    producerLatency: [system.producerLatency.count, system.producerLatency.sum, system.producerLatency.max],
    consumers: system.consumers.map((consumer) => ({
      name: consumer.name,
      records: consumer.records,
      lag: [consumer.lag.count, consumer.lag.sum],
      endToEnd: [consumer.endToEndLatency.count, consumer.endToEndLatency.sum],
      recordsLag: [consumer.native.histogram.count, consumer.native.histogram.sum],
      scaling: consumer.autoscaling?.activities,
    })),
    partitions: system.partitions.map((p) => [p.id, p.acceptedRecords, p.acceptedBytes, p.peakWriteUtilization]),
    findings: system.findings.map((finding) => [finding.severity, finding.code, finding.subject, finding.evidence]),
    facts: system.facts,
  }));
}

// Beyond the first scenarioCount, scenarios a longer search (STREAMSIM_PROPERTY_SCENARIOS=400) found
// failing, kept as regressions: 24, a crash and a rebalance leave a position behind processed records
// when retention passes them (expired counted negative); 74, a leader fenced while its batches waited
// for their commit, whose offsets the next leader then reused (they were counted twice); 78, retention
// passing records a lagging follower never had, which the new leader's truncation then lost. And 20,
// kept for its reach: a group that falls behind on a short retention and loses records to it (since
// a broker's resources work in parallel, consumers' fetches no longer wait behind writes, and no
// scenario below 20 expires records). 76, 139, 140 and 177: autoscaled cooperative-sticky groups whose
// partitions moved to a new member while their owner still processed records of them (read twice,
// counted as duplicates with no failure); the owner now revokes them at its next poll, after those records.
const regressionScenarios = [20, 24, 74, 76, 78, 139, 140, 177];
const scenarios = [
  ...Array.from({ length: scenarioCount }, (_, index) => generateScenario(index)),
  ...regressionScenarios.filter((index) => index >= scenarioCount).map((index) => generateScenario(index)),
];

/** What the runs reached, so a generator that stops exercising the model is noticed. */
const reached = { runs: 0, behind: 0, expired: 0, pending: 0, idle: 0, saturated: 0, replicated: 0, acksAll: 0, withKinesis: 0, dropped: 0, lost: 0, duplicates: 0, failedAttempts: 0, rebalanced: 0, lambda: 0, lambdaBehind: 0, lambdaGivenUp: 0, lambdaThrottled: 0, scaledOut: 0, scaledIn: 0 };

describe("Kafka accounting over random scenarios", () => {
  it.each(scenarios.map((generated) => [generated.index, generated] as const))(
    "scenario %i: every identity closes and a second run is identical",
    { timeout: scenarioTimeoutMs },
    (_, generated) => {
      replayable(generated, () => {
        const result = run(generated);
        const producedByWorkload = sum(result.producers.map((producer) => producer.producedRecords));
        const kafka = result.systems.filter((system) => system.kind === "kafka");
        expect(kafka.length).toBeGreaterThan(0);
        for (const system of result.systems) expectAccountingCloses(system, producedByWorkload);
        for (const system of kafka) checkKafka(system, generated);
        expect(fingerprint(run(generated).systems), "a second run of the same scenario").toEqual(fingerprint(result.systems));
        reached.runs++;
        if (result.systems.some((system) => system.kind === "kinesis")) reached.withKinesis++;
        for (const system of kafka) {
          if (system.consumers.some((consumer) => consumer.records.unread > system.records.accepted / 10)) reached.behind++;
          if (system.consumers.some((consumer) => consumer.records.expired > 0)) reached.expired++;
          if (system.records.pending > 0) reached.pending++;
          if (system.findings.some((finding) => finding.code === "idle-consumers")) reached.idle++;
          if (system.findings.some((finding) => finding.code === "saturated-broker")) reached.saturated++;
          if (Number(system.facts.replicationFactor) > 1) reached.replicated++;
          if (system.facts.acks === "all") reached.acksAll++;
          if (system.records.dropped > 0) reached.dropped++;
          if (system.records.throttledAttempts > 0) reached.failedAttempts++;
          if (system.consumers.some((consumer) => consumer.records.lost > 0)) reached.lost++;
          if (system.consumers.some((consumer) => consumer.records.duplicates > 0)) reached.duplicates++;
          if (Number(system.facts.rebalances) > 0) reached.rebalanced++;
          const lambdas = system.consumers.filter((consumer) => consumer.lambda !== undefined);
          if (lambdas.length > 0) reached.lambda++;
          if (lambdas.some((consumer) => consumer.records.unread > system.records.accepted / 10)) reached.lambdaBehind++;
          if (lambdas.some((consumer) => consumer.records.deadLettered + consumer.lambda!.recordsDiscarded > 0)) reached.lambdaGivenUp++;
          if (lambdas.some((consumer) => consumer.lambda!.throttles > 0)) reached.lambdaThrottled++;
          if (system.consumers.some((consumer) => (consumer.autoscaling?.scaleOuts ?? 0) > 0)) reached.scaledOut++;
          if (system.consumers.some((consumer) => (consumer.autoscaling?.scaleIns ?? 0) > 0)) reached.scaledIn++;
        }
      });
    },
  );

  // Found by this generator: fetch.max.wait.ms = 0 is valid; a member whose partitions have no data
  // must still let simulated time advance (an empty poll waits at least a millisecond).
  it("a group with fetchMaxWait 0 whose partitions are empty still lets time advance", () => {
    const generated: Generated = {
      index: -1,
      durationS: 10,
      warmupS: 0,
      kafka: new Map([["msk0", { acks: "all", brokerDown: false, addPartitions: false, crashedGroups: new Set<string>() }]]),
      yaml: `
name: kafka-fetch-max-wait-zero
seed: 1
duration: 10s
workload:
  - producer: p
    rate: { recordsPerSecond: 100 }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: msk0
    kind: kafka
    brokers: { count: 1 }
    topic: { partitions: 2 }
    producer: { latency: { median: 2ms, p99: 10ms } }
    consumerGroups:
      - { name: g0, consumers: 2, fetchMaxWait: 0ms }
`,
    };
    replayable(generated, () => {
      // ~1,000 records in 10 s take a few thousand events; two million is a hang.
      const result = run(generated, 2_000_000);
      const system = result.systems[0]!;
      expectAccountingCloses(system, sum(result.producers.map((producer) => producer.producedRecords)));
      checkKafka(system, generated);
    });
  });

  // Every record of a failed attempt counts on the partition it was for, so the partitions' counts add
  // up to the system's, as for Kinesis.
  it("a broker failure's failed attempts are counted on the partitions they were for", () => {
    const generated: Generated = {
      index: -2,
      durationS: 30,
      warmupS: 0,
      kafka: new Map([["msk0", { acks: "all", brokerDown: true, addPartitions: false, crashedGroups: new Set<string>() }]]),
      yaml: `
name: kafka-failed-attempts-per-partition
seed: 1
duration: 30s
workload:
  - producer: p
    rate: { recordsPerSecond: 1000 }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
  - name: msk0
    kind: kafka
    brokers: { count: 2 }
    topic: { partitions: 2, replicationFactor: 2, minInsyncReplicas: 2 }
    producer: { acks: all }
    consumerGroups: [ { name: g0 } ]
timeline:
  - { at: 5s, system: msk0, action: broker-down, broker: 1, for: 20s }
`,
    };
    replayable(generated, () => {
      const result = run(generated);
      const system = result.systems[0]!;
      expectAccountingCloses(system, sum(result.producers.map((producer) => producer.producedRecords)));
      checkKafka(system, generated);
      // With broker 1 down, both partitions keep fewer in-sync replicas than min.insync.replicas 2: their
      // leaders refuse acks=all writes (NotEnoughReplicas), failed attempts that are retried. (Batches
      // held while a partition has no live leader are not attempts: the client sends nothing then.)
      expect(system.records.throttledAttempts).toBeGreaterThan(0);
      expect(sum(system.partitions.map((p) => p.throttledAttempts)), "throttledAttempts = sum over partitions").toBe(system.records.throttledAttempts);
      expect(sum(system.partitions.map((p) => p.series.throttledAttempts.total)), "throttledAttempts series").toBe(system.records.throttledAttempts);
    });
  });

  // Found by this generator: a partition with no live replica at the end of the run (its only broker
  // still down) is collected like the others, shown with its preferred leader's broker.
  it("a broker still down at the end of the run: the results are collected, the offline partition included", () => {
    const generated: Generated = {
      index: -3,
      durationS: 30,
      warmupS: 0,
      kafka: new Map([["msk0", { acks: "1", brokerDown: true, addPartitions: false, crashedGroups: new Set<string>() }]]),
      yaml: `
name: kafka-offline-at-the-end
seed: 1
duration: 30s
workload:
  - producer: p
    rate: { recordsPerSecond: 1000 }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
  - name: msk0
    kind: kafka
    brokers: { count: 2 }
    topic: { partitions: 2, replicationFactor: 1 }
    producer: { acks: 1 }
    consumerGroups: [ { name: g0 } ]
timeline:
  - { at: 5s, system: msk0, action: broker-down, broker: 1, for: 60s }
`,
    };
    replayable(generated, () => {
      const result = run(generated);
      const system = result.systems[0]!;
      expectAccountingCloses(system, sum(result.producers.map((producer) => producer.producedRecords)));
      checkKafka(system, generated);
      expect(system.partitions.length).toBe(2);
    });
  });

  it("the scenarios reach slow groups, expiry, saturated brokers, idle members, replication, drops, losses, rebalances and a Kinesis neighbour", () => {
    // Only meaningful after all the scenarios above ran (not when a single one is selected).
    if (reached.runs < scenarios.length) return;
    console.info(`kafka accounting reached: ${JSON.stringify(reached)}`);
    expect(reached.behind).toBeGreaterThanOrEqual(2);
    // Autoscaled consumers that grew and shrank during the run (consumers added and retired mid-batch).
    expect(reached.scaledOut).toBeGreaterThanOrEqual(2);
    expect(reached.scaledIn).toBeGreaterThanOrEqual(2);
    expect(reached.expired).toBeGreaterThanOrEqual(1);
    expect(reached.pending).toBeGreaterThanOrEqual(3);
    expect(reached.idle).toBeGreaterThanOrEqual(1);
    expect(reached.saturated).toBeGreaterThanOrEqual(1);
    expect(reached.replicated).toBeGreaterThanOrEqual(3);
    expect(reached.acksAll).toBeGreaterThanOrEqual(3);
    expect(reached.withKinesis).toBeGreaterThanOrEqual(2);
    expect(reached.dropped).toBeGreaterThanOrEqual(1);
    expect(reached.failedAttempts).toBeGreaterThanOrEqual(1);
    // reached.lost stays 0 for now: see "acks 1: the acknowledged records only the failed leader had
    // are counted lost" in test/validation/kafka.test.ts.
    expect(reached.duplicates).toBeGreaterThanOrEqual(1);
    expect(reached.rebalanced).toBeGreaterThanOrEqual(2);
    expect(reached.lambda).toBeGreaterThanOrEqual(5);
    expect(reached.lambdaBehind).toBeGreaterThanOrEqual(1);
    expect(reached.lambdaGivenUp).toBeGreaterThanOrEqual(1);
  });
});
