// Checks that span fields (names that must be unique or must exist, limits that depend on other
// blocks). They run after the schema, on its typed output, and report with paths like the schema.

import { formatBytes, formatDurationUs } from "../units/index.ts";
import { closest } from "./didyoumean.ts";
import { formatPath, messages, type PathSegment } from "./messages.ts";
import type { ScenarioInput, TimelineAction } from "./schema.ts";
import { isConsumerGroup, recordSizeLimit, type KafkaSystemInput, type SystemInput } from "./systems-schema.ts";
import { keyCardinalityMax, type KeysInput, type ProducerInput, type WorkloadEntryInput } from "./workload-schema.ts";
import { maxKeyBytes } from "./key-bytes.ts";
import { brokerAvailabilityZones, topicReplication } from "./topic-defaults.ts";
import { instanceType } from "./instance-catalogue.ts";
import { instancePricePrefix, priceNames } from "./price-table.ts";
import type { KeysSpec } from "./types.ts";
import { actionKinds, actionsForKind } from "./timeline.ts";
import { parseTemplate, distinctNames } from "../workload/keys/index.ts";

export interface PathIssue {
  path: PathSegment[];
  message: string;
  atKey?: boolean;
}

export function checkScenario(input: ScenarioInput): PathIssue[] {
  return [
    ...checkRun(input),
    ...checkPricing(input),
    ...uniqueNames(input.workload.map((p) => p.producer), ["workload"], "producer", "producer"),
    ...uniqueNames(input.systems.map((s) => s.name), ["systems"], "name", "system"),
    ...input.systems.flatMap((system, index) => checkSystem(system, ["systems", index])),
    ...input.systems.flatMap((system, index) => partitionerProducers(system, input.workload.map((p) => p.producer), ["systems", index])),
    ...input.workload.flatMap((producer, index) => checkProducer(producer, input.systems, ["workload", index])),
    ...input.timeline.flatMap((action, index) => checkAction(action, input, ["timeline", index])),
  ];
}

function checkRun(input: ScenarioInput): PathIssue[] {
  if (input.warmup < input.duration) return [];
  return [{ path: ["warmup"], message: messages.warmupTooLong(formatDurationUs(input.warmup), formatDurationUs(input.duration)) }];
}

/** Price overrides must name a price of the scenario's region; Kafka brokers need an instance price there. */
function checkPricing(input: ScenarioInput): PathIssue[] {
  const known = priceNames(input.region);
  const issues: PathIssue[] = Object.keys(input.pricing)
    .filter((name) => !known.includes(name))
    .map((name) => ({ path: ["pricing", name], message: messages.unknownPrice(name, input.region, closest(name, known), known), atKey: true }));
  input.systems.forEach((system, index) => {
    if (system.kind !== "kafka" || known.includes(`${instancePricePrefix}${system.brokers.instanceType}`)) return;
    issues.push({ path: ["systems", index, "brokers", "instanceType"], message: messages.instanceNotPriced(system.brokers.instanceType, input.region) });
  });
  return issues;
}

function uniqueNames(names: string[], listPath: PathSegment[], field: string, kind: string): PathIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: PathIssue[] = [];
  names.forEach((name, index) => {
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, index);
    else issues.push({ path: [...listPath, index, field], message: messages.duplicateName(kind, name, formatPath([...listPath, first])) });
  });
  return issues;
}

function consumerNames(system: SystemInput): string[] {
  switch (system.kind) {
    case "kinesis":
    case "sqs":
      return system.consumers.map((consumer) => consumer.name);
    case "kafka":
      return [...system.consumerGroups.map((group) => group.name), ...system.flinkApplications.map((app) => app.name)];
    case "firehose":
      return [];
  }
}

/**
 * MSK spreads a cluster's brokers evenly over 2 or 3 Availability Zones, so their count is a multiple of
 * the AZ count (docs/reference.md §3.3); a lone broker is let through (RF 1, for experiments).
 */
type KafkaBrokersInput = KafkaSystemInput["brokers"];

function availabilityZoneIssues(brokers: KafkaBrokersInput, path: PathSegment[]): PathIssue[] {
  const msk = instanceType(brokers.instanceType).kind === "msk";
  if (!msk) return brokers.availabilityZones === undefined ? [] : [{ path: [...path, "availabilityZones"], message: messages.zonesOnSelfManaged() }];
  if (brokers.count === 1) return [];
  const zones = brokerAvailabilityZones(brokers);
  if (zones !== null && brokers.count % zones === 0) return [];
  return [{ path: [...path, "count"], message: messages.mskBrokersPerZone(brokers.count, brokers.availabilityZones) }];
}

/** A Kafka producer's per-producer partitioners must name producers of the workload. */
function partitionerProducers(system: SystemInput, producers: string[], path: PathSegment[]): PathIssue[] {
  if (system.kind !== "kafka" || system.producer.partitioners === undefined) return [];
  return Object.keys(system.producer.partitioners)
    .filter((name) => !producers.includes(name))
    .map((name) => ({
      path: [...path, "producer", "partitioners", name],
      message: messages.unknownProducer(name, closest(name, producers), producers),
      atKey: true,
    }));
}

function checkSystem(system: SystemInput, path: PathSegment[]): PathIssue[] {
  const listField = system.kind === "kafka" ? "consumerGroups" : "consumers";
  const issues = uniqueNames(consumerNames(system), [...path, listField], "name", "consumer");
  if (system.kind === "kafka") {
    // A topic cannot have more replicas than brokers (InvalidReplicationFactorException), and acks=all
    // needs min.insync.replicas of them in sync.
    issues.push(...availabilityZoneIssues(system.brokers, [...path, "brokers"]));
    const { replicationFactor, minInsyncReplicas } = topicReplication(system);
    if (replicationFactor > system.brokers.count) {
      issues.push({ path: [...path, "topic", "replicationFactor"], message: messages.replicationAboveBrokers(replicationFactor, system.brokers.count) });
    }
    if (minInsyncReplicas > replicationFactor) {
      issues.push({ path: [...path, "topic", "minInsyncReplicas"], message: messages.minInsyncAboveReplication(minInsyncReplicas, replicationFactor) });
    }
    system.consumerGroups.forEach((entry, index) => {
      if (entry.type === "lambda" && entry.function.errors.poisonKeys > 0) {
        issues.push({ path: [...path, "consumerGroups", index, "function", "errors", "poisonKeys"], message: messages.poisonKeysOnKafka(entry.function.errors.poisonKeys) });
      }
    });
    issues.push(...checkReservedConcurrency(system.lambdaAccount.concurrencyLimit, system.consumerGroups, [...path, "consumerGroups"]));
    system.consumerGroups.forEach((entry, index) => {
      if (!isConsumerGroup(entry) || entry.autoscaling === undefined) return;
      const scaling = entry.autoscaling;
      issues.push(...scalingBounds(entry.consumers, scaling.minReplicaCount, scaling.maxReplicaCount, ["minReplicaCount", "maxReplicaCount"], [...path, "consumerGroups", index]));
    });
  }
  if (system.kind === "sqs") {
    system.consumers.forEach((entry, index) => {
      if (entry.type === "lambda" || entry.autoscaling === undefined) return;
      issues.push(...scalingBounds(entry.count, entry.autoscaling.minConsumers, entry.autoscaling.maxConsumers, ["minConsumers", "maxConsumers"], [...path, "consumers", index]));
    });
  }
  if (system.kind === "sqs" && system.queue.type === "fifo" && system.queue.duplicateDeliveryProbability > 0) {
    // FIFO queues deliver exactly once (docs/reference.md §4): extra copies are a standard-queue behaviour.
    issues.push({ path: [...path, "queue", "duplicateDeliveryProbability"], message: messages.duplicatesOnFifo(system.queue.duplicateDeliveryProbability) });
  }
  if (system.kind === "sqs" && system.queue.type === "fifo" && system.producer.delay !== undefined) {
    // FIFO queues take a delay per queue only, no message timers (docs/reference.md §4).
    issues.push({ path: [...path, "producer", "delay"], message: messages.messageTimerOnFifo(formatDurationUs(system.producer.delay)) });
  }
  if (system.kind === "sqs" && system.queue.type === "standard" && system.queue.highThroughput) {
    // High throughput is a FIFO mode; standard queues have nearly unlimited throughput already (docs/reference.md §4).
    issues.push({ path: [...path, "queue", "highThroughput"], message: messages.highThroughputOnStandard() });
  }
  if (system.kind === "kinesis") {
    // At most 20 registered enhanced fan-out consumers per stream, 50 with On-demand Advantage (docs/reference.md §1.3).
    const advantage = system.capacity.mode === "on-demand" && system.capacity.billing === "advantage";
    const efoMax = advantage ? 50 : 20;
    const efoCount = system.consumers.filter((consumer) => consumer.type === "enhanced-fan-out" || ((consumer.type === "lambda" || consumer.type === "flink") && consumer.efo)).length;
    if (efoCount > efoMax) issues.push({ path: [...path, "consumers"], message: messages.tooManyEfoConsumers(efoCount, efoMax, advantage) });
    issues.push(...checkReservedConcurrency(system.lambdaAccount.concurrencyLimit, system.consumers, [...path, "consumers"]));
    issues.push(...checkAutoscaling(system, [...path, "autoscaling"]));
  }
  if (system.kind === "sqs") issues.push(...checkReservedConcurrency(system.lambdaAccount.concurrencyLimit, system.consumers, [...path, "consumers"]), ...checkLambdaSqs(system, path));
  return issues;
}

/**
 * The SQS event source mapping's rules that depend on the queue (docs/reference.md §6.5): a batch above
 * 10 messages needs a batching window of at least 1 s; FIFO queues take batches of at most 10 and no
 * window; Lambda refuses a function timeout above the queue's visibility timeout. Poison records are
 * a stream mapping's notion (a record at a position), not modelled on a queue.
 */
/** An autoscaled consumer: its minimum not above its maximum, its starting count between them. */
function scalingBounds(initial: number, min: number, max: number, fields: [string, string], path: PathSegment[]): PathIssue[] {
  if (min > max) return [{ path: [...path, "autoscaling", fields[0]], message: messages.scalingMinAboveMax(fields[0], min, fields[1], max) }];
  if (initial < min || initial > max) return [{ path: [...path, path.includes("consumerGroups") ? "consumers" : "count"], message: messages.scalingStartOutside(initial, min, max) }];
  return [];
}

function checkLambdaSqs(system: Extract<SystemInput, { kind: "sqs" }>, path: PathSegment[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const fifo = system.queue.type === "fifo";
  system.consumers.forEach((consumer, index) => {
    if (consumer.type !== "lambda") return;
    const at = [...path, "consumers", index];
    if (fifo && consumer.batchSize > 10) issues.push({ path: [...at, "batchSize"], message: messages.lambdaSqsFifoBatch(consumer.batchSize) });
    else if (consumer.batchSize > 10 && consumer.maximumBatchingWindow < 1_000_000) issues.push({ path: [...at, "maximumBatchingWindow"], message: messages.lambdaSqsWindowForBatch(consumer.batchSize, formatDurationUs(consumer.maximumBatchingWindow)) });
    if (fifo && consumer.maximumBatchingWindow > 0) issues.push({ path: [...at, "maximumBatchingWindow"], message: messages.lambdaSqsFifoWindow(formatDurationUs(consumer.maximumBatchingWindow)) });
    if (consumer.function.timeout > system.queue.visibilityTimeout) {
      issues.push({ path: [...at, "function", "timeout"], message: messages.lambdaTimeoutAboveVisibility(formatDurationUs(consumer.function.timeout), formatDurationUs(system.queue.visibilityTimeout)) });
    }
    const errors = consumer.function.errors;
    if (errors.poisonRecords > 0) issues.push({ path: [...at, "function", "errors", "poisonRecords"], message: messages.lambdaSqsPoison(errors.poisonRecords) });
    if (errors.poisonKeys > 0) issues.push({ path: [...at, "function", "errors", "poisonKeys"], message: messages.lambdaSqsPoison(errors.poisonKeys) });
  });
  return issues;
}

/** Reserved concurrency must leave 100 of the account's limit unreserved (docs/reference.md §6.1). */
function checkReservedConcurrency(limit: number, consumers: ReadonlyArray<{ type?: string; function?: { reservedConcurrency?: number } }>, listPath: PathSegment[]): PathIssue[] {
  const reservedMax = Math.max(0, limit - 100);
  let reserved = 0;
  const issues: PathIssue[] = [];
  consumers.forEach((consumer, index) => {
    if (consumer.type !== "lambda" || consumer.function?.reservedConcurrency === undefined) return;
    reserved += consumer.function.reservedConcurrency;
    if (reserved > reservedMax) {
      issues.push({ path: [...listPath, index, "function", "reservedConcurrency"], message: messages.reservedConcurrencyAboveLimit(reserved, reservedMax, limit) });
    }
  });
  return issues.slice(0, 1);
}

function checkProducer(producer: WorkloadEntryInput, systems: SystemInput[], path: PathSegment[]): PathIssue[] {
  // A trace's rows are checked when it is read (load.ts); its keys are never empty.
  if ("trace" in producer) return [];
  return [...checkKeys(producer.keys, [...path, "keys"]), ...keylessTargets(producer, systems, [...path, "keys", "distribution"])];
}

/** Kinesis needs a partition key on every record, and an SQS FIFO queue a message group id (docs/reference.md §1.2, §4). */
function keylessTargets(producer: ProducerInput, systems: SystemInput[], path: PathSegment[]): PathIssue[] {
  if (producer.keys.distribution !== "none") return [];
  return systems.flatMap((system): PathIssue[] => {
    if (system.kind === "kinesis") return [{ path, message: messages.keylessIntoKinesis(system.name) }];
    if (system.kind === "sqs" && system.queue.type === "fifo") return [{ path, message: messages.keylessIntoFifo(system.name) }];
    if (system.kind === "firehose" && system.dynamicPartitioning.enabled) return [{ path, message: messages.keylessIntoPartitionedFirehose(system.name) }];
    return [];
  });
}

/**
 * A size a user states (fixed, explicit or max) must fit every system's record limit (docs/design.md), the
 * producer's longest partition key included where the service counts it (Kinesis). Runs once key
 * files are read, as their keys' lengths count.
 */
export function checkRecordSizes(input: ScenarioInput, keysOf: (producerIndex: number) => KeysSpec): PathIssue[] {
  // A trace's records above a system's limit are clipped to the cap and counted, as drawn sizes are.
  return input.workload.flatMap((producer, index) => "trace" in producer ? [] : checkRecordSize(producer, maxKeyBytes(keysOf(index)), input.systems, ["workload", index, "recordSize"]));
}

function checkRecordSize(producer: ProducerInput, keyBytes: number, systems: SystemInput[], path: PathSegment[]): PathIssue[] {
  const size = producer.recordSize;
  const stated: Array<{ field: PathSegment[]; bytes: number; what: string }> = [];
  if (size.distribution === "fixed") stated.push({ field: ["size"], bytes: size.size, what: "record size" });
  if (size.distribution === "uniform") stated.push({ field: ["max"], bytes: size.max, what: "record size max" });
  if (size.distribution === "lognormal" && size.max !== undefined) stated.push({ field: ["max"], bytes: size.max, what: "record size cap" });
  if (size.distribution === "weighted") {
    size.sizes.forEach((entry, index) => stated.push({ field: ["sizes", index, "size"], bytes: entry.size, what: "record size" }));
  }
  const issues: PathIssue[] = [];
  for (const { field, bytes, what } of stated) {
    for (const system of systems) {
      const limit = recordSizeLimit(system, keyBytes);
      if (bytes <= limit.limitBytes) continue;
      issues.push({
        path: [...path, ...field],
        message: messages.sizeAboveLimit(what, formatBytes(bytes), system.name, limit.field, formatBytes(limit.limitBytes)),
      });
    }
  }
  return issues;
}

function checkKeys(keys: KeysInput, path: PathSegment[]): PathIssue[] {
  switch (keys.distribution) {
    case "uniform":
    case "zipf":
    case "hotspot": {
      const issues = checkIndexTemplate(keys.template, keys.cardinality, [...path, "template"]);
      if (keys.distribution === "hotspot" && keys.hotKeys > keys.cardinality) {
        issues.push({ path: [...path, "hotKeys"], message: messages.hotKeysAboveCardinality(keys.hotKeys, keys.cardinality) });
      } else if (keys.distribution === "hotspot" && keys.hotKeys === keys.cardinality && keys.hotShare < 1) {
        // Every key is hot: the cold share would have no key to go to.
        issues.push({ path: [...path, "hotShare"], message: messages.noColdKeys(keys.hotShare, keys.cardinality) });
      }
      return issues;
    }
    case "weighted":
      return duplicateEntries(keys.keys.map((entry) => entry.key), (index) => [...path, "keys", index, "key"]);
    case "composite":
      return checkComposite(keys, path);
    default:
      return [];
  }
}

function checkIndexTemplate(template: string, cardinality: number, path: PathSegment[]): PathIssue[] {
  const names = distinctNames(parseTemplate(template));
  const others = names.filter((name) => name !== "i");
  if (others.length > 0) return [{ path, message: `expected a template whose only placeholder is {i}, found {${others[0]}}` }];
  if (cardinality > 1 && !names.includes("i")) return [{ path, message: `expected a template containing {i} (otherwise all ${cardinality} keys are the same text)` }];
  return [];
}

function checkComposite(keys: Extract<KeysInput, { distribution: "composite" }>, path: PathSegment[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const names = distinctNames(parseTemplate(keys.template));
  for (const name of names) {
    if (keys.fields[name] === undefined) issues.push({ path: [...path, "fields"], message: messages.placeholderWithoutField(name) });
  }
  if (names.length === 0) issues.push({ path: [...path, "template"], message: messages.compositeNoPlaceholder });
  let product = 1;
  for (const [name, field] of Object.entries(keys.fields)) {
    const fieldPath = [...path, "fields", name];
    if (!names.includes(name)) issues.push({ path: fieldPath, message: messages.fieldWithoutPlaceholder(name), atKey: true });
    if ("values" in field) {
      if (field.weights !== undefined && field.weights.length !== field.values.length) {
        issues.push({ path: [...fieldPath, "weights"], message: messages.weightsLength(field.weights.length, field.values.length) });
      }
      issues.push(...duplicateEntries(field.values, (index) => [...fieldPath, "values", index]));
      product *= field.values.length;
    } else {
      const [low, high] = field.range;
      if (low > high) issues.push({ path: [...fieldPath, "range"], message: messages.rangeOrder });
      else if (high - low + 1 > keyCardinalityMax) issues.push({ path: [...fieldPath, "range"], message: messages.rangeTooLarge(keyCardinalityMax) });
      if (field.distribution === "zipf" && field.exponent === undefined) issues.push({ path: [...fieldPath, "exponent"], message: messages.zipfNeedsExponent });
      if (field.distribution === "uniform" && field.exponent !== undefined) {
        issues.push({ path: [...fieldPath, "exponent"], message: messages.exponentNeedsZipf, atKey: true });
      }
      product *= Math.max(1, high - low + 1);
    }
  }
  if (product > Number.MAX_SAFE_INTEGER) issues.push({ path: [...path, "fields"], message: messages.compositeTooLarge(Number.MAX_SAFE_INTEGER) });
  return issues;
}

/** The key generators need distinct entries: a repeated one is an issue at its second appearance. */
function duplicateEntries(values: readonly string[], at: (index: number) => PathSegment[]): PathIssue[] {
  const first = new Map<string, number>();
  const issues: PathIssue[] = [];
  values.forEach((value, index) => {
    const seen = first.get(value);
    if (seen === undefined) first.set(value, index);
    else issues.push({ path: at(index), message: messages.duplicateEntry(value, seen) });
  });
  return issues;
}

function checkAction(action: TimelineAction, input: ScenarioInput, path: PathSegment[]): PathIssue[] {
  const issues: PathIssue[] = [];
  if (action.at > input.duration) {
    issues.push({ path: [...path, "at"], message: messages.actionAfterEnd(formatDurationUs(action.at), formatDurationUs(input.duration)) });
  }
  const names = input.systems.map((system) => system.name);
  const system = input.systems.find((candidate) => candidate.name === action.system);
  if (system === undefined) {
    issues.push({ path: [...path, "system"], message: messages.unknownSystem(action.system, closest(action.system, names), names) });
    return issues;
  }
  const kinds = actionKinds[action.action];
  if (!kinds.includes(system.kind)) {
    issues.push({ path: [...path, "action"], message: messages.actionNotForKind(action.action, system.name, system.kind, actionsForKind(system.kind), kinds) });
    return issues;
  }
  const resharding = action.action === "update-shard-count" || action.action === "split-shard" || action.action === "merge-shards";
  if (resharding && system.kind === "kinesis" && system.capacity.mode === "on-demand") {
    issues.push({ path: [...path, "action"], message: messages.reshardOnDemand(action.action) });
  }
  if (action.action === "add-partitions" && system.kind === "kafka" && action.partitions <= system.topic.partitions) {
    issues.push({ path: [...path, "partitions"], message: messages.partitionsNotMore(action.partitions, system.topic.partitions) });
  }
  if (action.action === "broker-down" && system.kind === "kafka" && action.broker >= system.brokers.count) {
    issues.push({ path: [...path, "broker"], message: messages.brokerOutOfRange(action.broker, system.brokers.count) });
  }
  if (action.action === "consumer-crash") issues.push(...checkCrashTarget(action, system, path));
  if (action.action === "consumer-fail") issues.push(...checkConsumerName(action.consumer, system, [...path, "consumer"]));
  if (action.action === "flink-restart") issues.push(...checkFlinkApplication(action.application, system, [...path, "application"]));
  return issues;
}

/** Kafka crashes a member of a group (group + member index); Kinesis and SQS crash a named consumer. */
function checkCrashTarget(action: Extract<TimelineAction, { action: "consumer-crash" }>, system: SystemInput, path: PathSegment[]): PathIssue[] {
  const flinkNames = system.kind === "kinesis" ? system.consumers.filter((c) => c.type === "flink").map((c) => c.name) : system.kind === "kafka" ? system.flinkApplications.map((app) => app.name) : [];
  const target = system.kind === "kafka" ? action.group : action.consumer;
  if (typeof target === "string" && flinkNames.includes(target)) return [{ path: [...path, system.kind === "kafka" ? "group" : "consumer"], message: messages.crashFlink(target) }];
  if (system.kind !== "kafka") {
    if (action.group !== undefined) return [{ path: [...path, "group"], message: messages.groupOnlyForKafka(system.kind), atKey: true }];
    if (typeof action.consumer !== "string") return [{ path: [...path, "consumer"], message: messages.consumerNameExpected(action.consumer) }];
    // A Kinesis stream's Firehose consumer is the service's own reader: there is no application to crash.
    const name = action.consumer;
    if (system.kind === "kinesis" && system.consumers.some((consumer) => consumer.name === name && consumer.type === "firehose")) {
      return [{ path: [...path, "consumer"], message: messages.firehoseNotCrashable(name) }];
    }
    return checkConsumerName(action.consumer, system, [...path, "consumer"]);
  }
  if (action.group === undefined) return [{ path: [...path, "consumer"], message: messages.groupRequired }];
  const group = system.consumerGroups.find((candidate) => candidate.name === action.group);
  if (group === undefined) return checkConsumerName(action.group, system, [...path, "group"]);
  if (group.type === "lambda") return [{ path: [...path, "group"], message: messages.crashOfLambda(group.name) }];
  if (typeof action.consumer !== "number") return [{ path: [...path, "consumer"], message: messages.memberIndexExpected(JSON.stringify(action.consumer), group.consumers) }];
  if (action.consumer >= group.consumers) return [{ path: [...path, "consumer"], message: messages.memberIndexExpected(String(action.consumer), group.consumers) }];
  return [];
}

/**
 * Alarm-driven scaling calls UpdateShardCount, which on-demand streams do not take; its bounds must
 * hold the stream's shards; an iterator-age alarm reads a consumer that polls (docs/reference.md §1.10).
 */
function checkAutoscaling(system: Extract<SystemInput, { kind: "kinesis" }>, path: PathSegment[]): PathIssue[] {
  const autoscaling = system.autoscaling;
  if (autoscaling === undefined) return [];
  if (system.capacity.mode === "on-demand") return [{ path, message: messages.autoscalingOnDemand() }];
  const issues: PathIssue[] = [];
  const shards = system.capacity.shards;
  if (autoscaling.minShards > autoscaling.maxShards) issues.push({ path: [...path, "maxShards"], message: messages.autoscalingBounds(autoscaling.minShards, autoscaling.maxShards) });
  else if (shards < autoscaling.minShards || shards > autoscaling.maxShards) {
    issues.push({ path: [...path, "minShards"], message: messages.autoscalingStartOutside(shards, autoscaling.minShards, autoscaling.maxShards) });
  }
  if (autoscaling.metric === "iterator-age") {
    const readers = system.consumers.filter((consumer) => !(consumer.type === "enhanced-fan-out" || ((consumer.type === "lambda" || consumer.type === "flink") && consumer.efo))).map((consumer) => consumer.name);
    if (autoscaling.consumer !== undefined && !readers.includes(autoscaling.consumer)) {
      issues.push({ path: [...path, "consumer"], message: messages.unknownConsumer(autoscaling.consumer, system.name, readers) });
    } else if (readers.length === 0) issues.push({ path: [...path, "metric"], message: messages.autoscalingNoReader() });
  }
  return issues;
}

/** flink-restart names one of the system's Flink applications. */
function checkFlinkApplication(name: string, system: SystemInput, path: PathSegment[]): PathIssue[] {
  const known = system.kind === "kinesis" ? system.consumers.filter((c) => c.type === "flink").map((c) => c.name) : system.kind === "kafka" ? system.flinkApplications.map((app) => app.name) : [];
  return known.includes(name) ? [] : [{ path, message: messages.unknownFlinkApplication(name, system.name, known) }];
}

function checkConsumerName(name: string, system: SystemInput, path: PathSegment[]): PathIssue[] {
  const known = consumerNames(system);
  return known.includes(name) ? [] : [{ path, message: messages.unknownConsumer(name, system.name, known) }];
}
