// Every user-facing word the scenario loader prints. Detection lives in the schema, the checks and
// issues.ts; tests compare against the texts produced here.

export type PathSegment = string | number;

/** `systems[0].capacity.shards`; the empty path is the whole file. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text === "" ? "(scenario)" : text;
}

/** Longest quoted value echoed in a message; longer ones are cut, so a huge value cannot flood the output. */
export const quotedCharsMax = 80;

/** A value in quotes, cut to quotedCharsMax characters (saying how long it was). */
export function quoteCut(text: string): string {
  if (text.length <= quotedCharsMax) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, quotedCharsMax))}... (${text.length} characters)`;
}

/** How a found value is shown after "found ". */
export function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return quoteCut(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  if (typeof value === "object") return "a mapping";
  return typeof value;
}

export function expectedFound(expected: string, found: unknown): string {
  return `expected ${expected}, found ${describeFound(found)}`;
}

export function missingField(expected: string): string {
  return `missing; expected ${expected}`;
}

export function unknownField(field: string, suggestion: string | undefined, known: readonly string[]): string {
  const hint = suggestion !== undefined ? `did you mean "${suggestion}"? ` : "";
  return `unknown field "${field}"; ${hint}expected one of: ${known.join(", ")}`;
}

export function withSuggestion(message: string, suggestion: string | undefined): string {
  return suggestion === undefined ? message : `${message} (did you mean "${suggestion}"?)`;
}

export function oneOf(values: readonly unknown[]): string {
  return `one of ${values.map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join(", ")}`;
}

/** Expected-texts for zod checks that a schema did not word itself. */
export const typeNames: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  tuple: "a list",
  record: "a mapping",
};

export const messages = {
  emptyFile: "the file is empty; expected a scenario with at least name, duration and workload",
  notReadable: (reason: string) => `cannot read the file: ${reason}`,
  yamlSyntax: (detail: string) => `YAML syntax error: ${detail}`,
  duplicateKey: (key: string) => `YAML syntax error: duplicate field ${quoteCut(key)}; each field may appear once in a mapping`,
  nestingTooDeep: (max: number) => `YAML nesting deeper than ${max} levels; a scenario needs far fewer`,
  multipleDocuments: "YAML syntax error: expected one YAML document, found more than one (remove the --- separator)",
  duplicateName: (kind: string, name: string, firstPath: string) =>
    `${kind} name "${name}" is already used at ${firstPath}; expected a unique name`,
  warmupTooLong: (warmup: string, duration: string) =>
    `expected a warm-up shorter than the duration (${duration}), found ${warmup}`,
  seedOverridden: (from: number, to: number) => `seed ${to} from the command line replaces the scenario's seed ${from}`,
  durationOverridden: (from: string, to: string) => `duration set to ${to} by --duration (the scenario says ${from})`,
  warmupScaled: (from: string, to: string) => `warm-up ${from} does not fit the shortened run; shortened in proportion to ${to}`,
  actionAfterEnd: (at: string, duration: string) => `expected a time within the run (at most ${duration}), found ${at}`,
  unknownSystem: (found: string, suggestion: string | undefined, known: readonly string[]) =>
    withSuggestion(
      `expected the name of a system in this scenario (${known.length > 0 ? known.join(", ") : "there are none"}), found ${JSON.stringify(found)}`,
      suggestion,
    ),
  actionNotForKind: (action: string, system: string, kind: string, valid: readonly string[], kinds: readonly string[]) =>
    `expected an action for ${kind} system "${system}" (${valid.join(", ")}), found "${action}", which applies to ${kinds.join(" or ")} systems`,
  unknownConsumer: (found: string, system: string, known: readonly string[]) =>
    `expected the name of a consumer of system "${system}" (${known.length > 0 ? known.join(", ") : "it has none"}), found ${JSON.stringify(found)}`,
  crashFlink: (name: string) =>
    `expected a consumer that can crash, found the Flink application ${JSON.stringify(name)}: restart it from its last checkpoint with action flink-restart, application: ${JSON.stringify(name)}`,
  autoscalingOnDemand: () =>
    "autoscaling applies to provisioned streams (it calls UpdateShardCount); this stream is on-demand and scales itself (use capacity mode provisioned, or remove the autoscaling block)",
  autoscalingBounds: (min: number, max: number) => `expected a maxShards of at least minShards (${min}), found ${max}`,
  autoscalingStartOutside: (shards: number, min: number, max: number) =>
    `expected bounds that hold the stream's ${shards} shards at the start, found minShards ${min} and maxShards ${max}`,
  autoscalingNoReader: () =>
    "the iterator-age metric is GetRecords.IteratorAgeMilliseconds: the stream needs a consumer that reads with GetRecords (not enhanced fan-out)",
  unknownFlinkApplication: (name: string, system: string, known: string[]) =>
    known.length === 0
      ? `expected the name of a Flink application, found ${JSON.stringify(name)}: system "${system}" has none (a consumer of type flink)`
      : `expected one of the Flink applications of system "${system}" (${known.map((n) => JSON.stringify(n)).join(", ")}), found ${JSON.stringify(name)}`,
  reshardOnDemand: (action: string) =>
    `action "${action}" applies to provisioned streams; this stream is on-demand and scales itself (use capacity mode provisioned to reshard by hand)`,
  partitionsNotMore: (found: number, current: number) =>
    `expected a partition count above the topic's ${current} (Kafka can only add partitions), found ${found}`,
  mskBrokersPerZone: (count: number, zones: number | undefined) =>
    zones === undefined
      ? `expected an MSK (kafka.*) broker count that is a multiple of 2 or 3: MSK spreads brokers evenly over 2 or 3 Availability Zones, found ${count}`
      : `expected a broker count that is a multiple of availabilityZones (${zones}): MSK spreads brokers evenly over its Availability Zones, found ${count}`,
  zonesOnSelfManaged: () => "expected availabilityZones only on kafka.* (MSK) instance types; self-managed brokers are taken as spread over 3 Availability Zones",
  replicationAboveBrokers: (found: number, brokers: number) =>
    `expected a replication factor of at most the broker count (${brokers}): each replica needs its own broker, found ${found}`,
  minInsyncAboveReplication: (found: number, replicationFactor: number) =>
    `expected min.insync.replicas of at most the replication factor (${replicationFactor}), or acks=all writes always fail, found ${found}`,
  brokerOutOfRange: (broker: number, count: number) =>
    `expected a broker index from 0 to ${count - 1} (brokers are numbered from 0), found ${broker}`,
  groupOnlyForKafka: (kind: string) => `a consumer group applies to Kafka systems; this system is ${kind}: name the consumer with consumer alone`,
  consumerNameExpected: (found: number) => `expected a consumer name, found ${found}`,
  firehoseNotCrashable: (name: string) =>
    `expected a consumer application to crash, found "${name}", a Firehose stream reading the Kinesis stream (the service runs its readers); crash a polling, enhanced fan-out or Lambda consumer instead`,
  groupRequired: "missing group; expected the consumer group of the member to crash (group: name, consumer: member index)",
  scalingMinAboveMax: (minField: string, min: number, maxField: string, max: number) => `expected ${minField} at most ${maxField} (${max}), found ${min}`,
  scalingStartOutside: (initial: number, min: number, max: number) => `expected a starting count within the autoscaling bounds ${min} to ${max}, found ${initial}`,
  poisonKeysOnKafka: (share: number) =>
    `expected no poisonKeys on a Kafka Lambda consumer (the Kafka model does not follow keys to the mapping; use errors.poisonRecords for a share of records that always fail), found ${share}`,
  crashOfLambda: (name: string) => `expected a consumer group of Kafka consumers, found ${name}, a Lambda event source mapping: it has no consumer to crash`,
  memberIndexExpected: (found: string, members: number) => `expected a member index from 0 to ${members - 1} of the group, found ${found}`,
  sizeAboveLimit: (what: string, sizeText: string, system: string, limitField: string, limitText: string) =>
    `${what} ${sizeText} is above the record size limit of system "${system}" (${limitField}: ${limitText}); expected at most ${limitText}`,
  keylessIntoKinesis: (system: string) =>
    `expected records with keys, as system "${system}" is Kinesis, which needs a partition key on every record; found none (for random keys use distribution: uuid)`,
  keylessIntoFifo: (system: string) =>
    `expected records with keys, as system "${system}" is an SQS FIFO queue, whose message group id is the record's key; found none`,
  keylessIntoPartitionedFirehose: (system: string) =>
    `expected records with keys, as system "${system}" is a Firehose stream with dynamic partitioning, whose partition key is the record's key; found none`,
  duplicatesOnFifo: (probability: number) =>
    `expected 0 for a FIFO queue (FIFO queues deliver exactly once; duplicateDeliveryProbability applies to standard queues), found ${probability}`,
  messageTimerOnFifo: (found: string) =>
    `expected no producer delay on a FIFO queue (FIFO queues take no message timers; set queue.delay for the whole queue), found ${found}`,
  highThroughputOnStandard: () =>
    "expected false for a standard queue (high throughput is a mode of FIFO queues; standard queues need none), found true",
  tooManyEfoConsumers: (count: number, max: number, advantage: boolean) =>
    `expected at most ${max} enhanced fan-out consumers per stream (the Kinesis limit${advantage ? " with On-demand Advantage" : "; 50 with on-demand billing: advantage"}), found ${count}`,
  reservedConcurrencyAboveLimit: (reserved: number, reservedMax: number, limit: number) =>
    `expected the Lambda consumers' reserved concurrency to total at most ${reservedMax} (lambdaAccount.concurrencyLimit ${limit} less the 100 Lambda keeps unreserved), found ${reserved}`,
  lambdaSqsFifoBatch: (found: number) => `expected a batchSize of at most 10 on a FIFO queue (the SQS event source mapping's limit for FIFO queues), found ${found}`,
  lambdaSqsWindowForBatch: (batchSize: number, found: string) =>
    `expected a maximumBatchingWindow of at least 1s with a batchSize above 10 (Lambda requires one for SQS batches of more than 10 messages; batchSize is ${batchSize}), found ${found}`,
  lambdaSqsFifoWindow: (found: string) => `expected 0s on a FIFO queue (Lambda supports no batching window for FIFO queues), found ${found}`,
  lambdaTimeoutAboveVisibility: (timeout: string, visibility: string) =>
    `expected a function timeout of at most the queue's visibility timeout (${visibility}): Lambda refuses the event source mapping otherwise (AWS advises a visibility timeout of 6x the function timeout), found ${timeout}`,
  lambdaSqsPoison: (found: number) => `expected 0 for a Lambda consumer of an SQS queue (poison records are modelled on stream mappings only; use errors.probability), found ${found}`,
  hotKeysAboveCardinality: (hotKeys: number, cardinality: number) =>
    `expected hotKeys at most the cardinality (${cardinality}), found ${hotKeys}`,
  tooManyIntervals: (interval: string, duration: string, intervals: number, max: number, smallest: string) =>
    `expected at most ${max.toLocaleString("en-US")} report intervals per run (the limit of a report series), found ${intervals.toLocaleString("en-US")} (${duration} at ${interval}); use an interval of at least ${smallest} or a shorter duration`,
  sweepTooManyRuns: (runs: number, max: number) =>
    `expected a sweep of at most ${max.toLocaleString("en-US")} runs (combinations x replications), found ${runs.toLocaleString("en-US")}; sweep fewer values at a time`,
  sweepSeedsOverflow: (seed: number, replications: number) =>
    `expected seed + replications - 1 to be at most ${Number.MAX_SAFE_INTEGER} (replication r runs with seed + r), found seed ${seed} with ${replications} replications; lower the seed`,
  noColdKeys: (hotShare: number, cardinality: number) =>
    `expected hotShare 1 when every key is hot (hotKeys equals the cardinality, ${cardinality}), found ${hotShare}; lower hotKeys to leave cold keys for the rest`,
  duplicateEntry: (value: string, firstIndex: number) =>
    `expected distinct entries, found ${quoteCut(value)} again (first at index ${firstIndex})`,
  compositeNoPlaceholder: "expected a template with at least one {field} placeholder (without one every key is the same text; use distribution: fixed)",
  exponentNeedsZipf: "exponent applies to zipf ranges only; add distribution: zipf or remove the exponent",
  weightsLength: (weights: number, values: number) =>
    `expected one weight per value (${values}), found ${weights} weights`,
  rangeOrder: "expected a range [low, high] with low <= high",
  rangeTooLarge: (max: number) => `expected a range of at most ${max} values`,
  placeholderWithoutField: (placeholder: string) =>
    `template placeholder {${placeholder}} has no entry under fields; expected a field named "${placeholder}"`,
  fieldWithoutPlaceholder: (field: string) => `field "${field}" is not used by the template; expected a {${field}} placeholder in it`,
  compositeTooLarge: (max: number) => `expected at most ${max} distinct composite keys (the product of the field sizes)`,
  zipfNeedsExponent: "missing; expected an exponent (a positive number) for a zipf range",
  keyFileIssue: (file: string, line: number, message: string) => `${file}:${line}: ${message}`,
  keyFileUnreadable: (file: string, reason: string) => `cannot read key file ${file}: ${reason}`,
  keyFileOutside: (file: string, what: string) =>
    `key file ${file} is ${what}; a scenario reads key files from its own folder and below (run with --allow-outside-key-files to read it anyway)`,
  historyUnreadable: (file: string, reason: string) => `cannot read rate history ${file}: ${reason}`,
  historyOutside: (file: string, what: string) =>
    `rate history ${file} is ${what}; a scenario reads files from its own folder and below (run with --allow-outside-key-files to read it anyway)`,
  keyFilePathNul: "expected a file path, found one containing a NUL character (\\0)",
  scenarioTooBig: (bytes: number, max: number) => `${bytes} bytes; a scenario file may have at most ${max} bytes`,
  traceWithSynthetic: (field: string) =>
    `a producer with a trace takes its rate, sizes and keys from the trace; remove "${field}" (or the trace, for a synthetic producer)`,
  traceTwinTooLong: (key: string, suffixChars: number) =>
    `scale above 1 sends copies under twin keys (KEY#1, ...), ${suffixChars} characters longer; key ${JSON.stringify(key.slice(0, 40))}... would pass the 256-character limit of partition keys`,
  traceUnreadable: (file: string, reason: string) => `cannot read trace ${file}: ${reason}`,
  traceOutside: (file: string, what: string) =>
    `trace ${file} is ${what}; a scenario reads traces from its own folder and below (run with --allow-outside-key-files to read it anyway)`,
  keyFileEmpty: (file: string) => `key file ${file} has no usable keys`,
  keyTooLong: (length: number) => `expected a key of 1 to 256 characters (the Kinesis partition-key limit), found ${length} characters`,
  pricedRegion: (regions: readonly string[]) => `a region with a price table in sim/cost/prices/ (${regions.join(", ")})`,
  unknownProducer: (found: string, suggestion: string | undefined, known: readonly string[]) =>
    `unknown workload producer "${found}"; ${suggestion !== undefined ? `did you mean "${suggestion}"? ` : ""}expected one of: ${known.join(", ")}`,
  unknownPrice: (found: string, region: string, suggestion: string | undefined, known: readonly string[]) =>
    `unknown price name "${found}" for region ${region}; ${suggestion !== undefined ? `did you mean "${suggestion}"? ` : ""}expected one of: ${known.join(", ")}`,
  instanceNotPriced: (type: string, region: string) =>
    `instance type ${type} has no price for region ${region} in the instance catalogue; expected a type priced there`,
  maxRecordSizeAboveLimit: (maxText: string) => `expected a cap not above the record size limit, found ${maxText}`,
  // sweep: block
  sweepBothForms: "expected either parameters (a grid) or combinations (a list), not both",
  sweepNotAField: (field: string) => `expected a scenario field to vary (e.g. systems.<name>.capacity.shards), found "${field}"`,
  sweepNoItem: (list: string, found: string, known: readonly string[], suggestion: string | undefined) =>
    withSuggestion(
      `expected the name of an entry of ${list} (${known.length > 0 ? known.join(", ") : "it has none"}) or its index, found ${JSON.stringify(found)}`,
      suggestion,
    ),
  sweepUnknownField: (at: string, field: string, suggestion: string | undefined, known: readonly string[]) =>
    `${at} has no field "${field}"; ${suggestion !== undefined ? `did you mean "${suggestion}"? ` : ""}expected one of: ${known.join(", ")}`,
  sweepNoFields: (at: string, field: string) => `${at} holds a single value; it has no field "${field}"`,
  sweepNotAValue: (at: string) => `${at} is a block, not a single value; expected a field inside it, such as ${at}.<field>`,
  sweepMissingInCombination: (field: string) => `missing ${field}; expected every combination to set the same fields`,
  sweepValueElsewhere: (path: string, message: string) => `with this value, ${path}: ${message}`,
  goalOneBound: "expected exactly one of below or above",
  goalOneDirection: "expected exactly one of minimise or maximise",
  goalNotParameter: (found: string, known: readonly string[], suggestion: string | undefined) =>
    withSuggestion(`expected one of the sweep's parameters (${known.length > 0 ? known.join(", ") : "it has none"}), found ${JSON.stringify(found)}`, suggestion),
  goalNotNumeric: (parameter: string) => `expected a parameter whose values are all numbers, so that it can be minimised or maximised; ${parameter} has other values`,
  goalUnknownSystem: (found: string, known: readonly string[], suggestion: string | undefined) =>
    withSuggestion(`expected a metric path starting with a system name (${known.length > 0 ? known.join(", ") : "there are none"}), found ${JSON.stringify(found)}`, suggestion),
  goalUnknownConsumer: (found: string, system: string, known: readonly string[], suggestion: string | undefined) =>
    withSuggestion(`expected the name of a consumer of system "${system}" (${known.length > 0 ? known.join(", ") : "it has none"}), found ${JSON.stringify(found)}`, suggestion),
  goalMetricUnknown: (at: string, found: string, known: readonly string[], suggestion: string | undefined) =>
    withSuggestion(`${at} in summary.json has no number or block "${found}"; expected one of: ${known.join(", ")}`, suggestion),
  goalMetricNotNumber: (at: string, known: readonly string[]) =>
    `${at} is a block of summary.json, not a number; expected a field inside it, one of: ${known.map((field) => `${at}.${field}`).join(", ")}`,
  goalMetricNeedsEntry: (at: string, rest: string) => `${at} is a list in summary.json, not a number; expected ${at}.${rest}`,
  goalMetricTooLong: (at: string, found: string) => `${at} is already a number in summary.json; expected the path to end there, found ".${found}" after it`,
} as const;
