// Every user-facing sentence of the partition-key lab: warnings, remedies, notes and input errors.
// Detection lives in warnings.ts, advice.ts, fields.ts and input.ts; tests compare against these.

export type RemedyCode = "higher-cardinality" | "composite-key" | "random-suffix" | "explicit-hash-key" | "same-partitioner" | "size-for-peak";

export const remedyMessages: Record<RemedyCode, string> = {
  "higher-cardinality":
    "Use a key with many more distinct values than shards or partitions (a device, user or order id rather than a region, tenant or date).",
  "composite-key":
    "Build a composite key from a coarse field and a fine one (e.g. {region}-{user}); try it without a file with --template and --field.",
  "random-suffix":
    "Append a random suffix 0..k-1 to the hot keys (e.g. tenant-7#3): one key then spreads over up to k shards, but records of that key lose their order across the k suffixes and consumers must merge or re-aggregate them.",
  "same-partitioner":
    "Kafka only: give every producer of the topic the same partitioner: set partitioner=murmur2_random in librdkafka-based clients (Python, Go, .NET, confluent Node) to match the Java client and kafkajs, or the Java clients' partitioner.class to one that hashes as the others do.",
  "size-for-peak":
    "Size for the busiest second, not the average: a Kinesis shard's write limit is per second (1 MiB/s and 1,000 records/s, docs/reference.md §1.1), so a second over it throttles whatever the average. Without --rate or --records-per-second the lab takes a bursty trace's own rate at its busiest second. Or smooth the bursts before the stream (a buffer in front of the producers), if the latency it adds is acceptable.",
  "explicit-hash-key":
    "Kinesis only: set ExplicitHashKey on PutRecord(s) to place records at chosen points of the hash key space (e.g. give a hot key a shard of its own after splitting); ordering then holds per hash key only, and the producer owns the placement.",
};

export const warningMessages = {
  singleKey: (key: string) =>
    `Every record has the same key (${JSON.stringify(key)}): all traffic goes to one shard or partition, whatever their number.`,
  lowCardinality: (target: string, distinctKeys: number, slotCount: number, slotNoun: string) =>
    `${target}: only ${distinctKeys} distinct key${distinctKeys === 1 ? "" : "s"} for ${slotCount} ${slotNoun}${slotCount === 1 ? "" : "s"} (less than 10 per ${slotNoun}): hashing cannot spread so few keys evenly, and some ${slotNoun}s may get none.`,
  timeLike: (sharePct: string, examples: string[]) =>
    `${sharePct} of the traffic has date- or time-like keys (e.g. ${examples.map((e) => JSON.stringify(e)).join(", ")}): at any moment nearly all records share the current period's key, so one shard takes the whole load while the others idle.`,
  hotKeys: (keyCount: number, sharePct: string) =>
    `A handful of keys carries most of the traffic: the top ${keyCount} key${keyCount === 1 ? "" : "s"} carry ${sharePct}. Their shards run hot however many shards there are.`,
  mixedPartitioners: (partitioner: string, other: string, splitKeys: number, keyCount: number, trafficPct: string) =>
    `Producers using ${partitioner} and ${other} place ${splitKeys.toLocaleString("en-US")} of ${keyCount.toLocaleString("en-US")} keys (${trafficPct} of the traffic) on different partitions: a key's records from the two are not in one partition's order, and consumers see them apart.`,
  burstyTrace: (startsAt: string, timesAverage: string, peakRate: string, averageRate: string, peakFlag: string, atPeak: string | null) =>
    `The trace's busiest second (from ${startsAt}) asks for ${timesAverage}x its average rate (${peakRate} against ${averageRate} records/s): a burst, beyond chance. ` +
    `The advice here is for the given rate; if that rate is an average of traffic shaped like this trace, its bursts put shards over their limit. Size for the peak: ${peakFlag}` +
    (atPeak === null ? "." : ` (${atPeak}).`),
  peakAdviceFound: (shardCount: number) => (shardCount === 1 ? "1 shard stays at or below 80% of its write limit at the peak" : `${shardCount} shards keep every shard at or below 80% of its write limit at the peak`),
  peakAdviceHotKey: (key: string, utilizationPct: string) => `at the peak no shard count keeps every shard at or below 80%: key ${JSON.stringify(key)} alone needs ${utilizationPct} of a shard`,
  peakAdviceNotFound: (upTo: number) => `at the peak no shard count up to ${upTo} keeps every shard at or below 80%`,
  hotKeyOverLimit: (key: string, utilizationPct: string) =>
    `Key ${JSON.stringify(key)} alone needs ${utilizationPct} of a Kinesis shard's write limit: no shard count keeps its shard at or below 80%, because one key always lands on one shard.`,
} as const;

export const adviceMessages = {
  method: (fromCount: number) =>
    `Smallest shard count found by checking every count from ${fromCount} upward (fewer shards cannot carry the total at or below 80% of their limits); counts are not bisected because a larger count can be worse than a smaller one for a given key set.`,
  found: (shardCount: number) =>
    shardCount === 1 ? "1 shard stays at or below 80% of its write limit." : `${shardCount} shards keep every shard at or below 80% of its write limit.`,
  impossible: (key: string, utilizationPct: string) =>
    `No shard count keeps every shard at or below 80%: key ${JSON.stringify(key)} alone needs ${utilizationPct} of one shard's write limit.`,
  othersFound: (key: string, shardCount: number, hotCount: number) =>
    `Leaving out ${hotCount === 1 ? `key ${JSON.stringify(key)}` : `the ${hotCount} keys over 80%`}, ${shardCount === 1 ? "1 shard stays" : `${shardCount} shards keep every shard`} at or below 80% of its write limit for every other key.`,
  othersNotFound: (key: string, upTo: number) => `Leaving out key ${JSON.stringify(key)}, no shard count up to ${upTo} keeps every other key's shard at or below 80% (the search stopped there).`,
  othersNone: (key: string, hotCount: number) =>
    `${hotCount === 1 ? `Key ${JSON.stringify(key)} carries` : `The ${hotCount} keys over 80% carry`} all the traffic: only a fix of the key${hotCount === 1 ? "" : "s"} can spread it.`,
  hotKeyNeeds: (key: string, utilizationPct: string, buckets: number, perBucketPct: string) =>
    `Key ${JSON.stringify(key)} (${utilizationPct} of a shard) needs a fix of its own: a random suffix with at least ${buckets} buckets ` +
    `(${JSON.stringify(`${key}#0`)} to ${JSON.stringify(`${key}#${buckets - 1}`)}) puts about ${perBucketPct} of a shard on each bucket; buckets hash independently, so check the count again with the suffixed keys (e.g. with --template).`,
  aggregationFits: (recordsPct: string, bytesPct: string) =>
    `Or KPL aggregation: the key is over on records (${recordsPct} of 1,000 records/s) while its bytes are ${bytesPct} of 1 MiB/s, so packing its records into aggregates brings it under 80% on one shard, keeping its order.`,
  aggregationNoHelp: (bytesPct: string) => `KPL aggregation would not be enough: its bytes alone are ${bytesPct} of a shard's 1 MiB/s.`,
  notFound: (upTo: number) => `No shard count up to ${upTo} keeps every shard at or below 80% of its limit (the search stopped there).`,
  currentPeriod: (sharePct: string, utilizationPct: string, fits: boolean) =>
    `These keys are dates or times: the advice spreads their counts as if every period were written at once. If records carry the current period's key, that one key takes ${sharePct} of the traffic and ${utilizationPct} of one shard's write limit, whatever the shard count: ` +
    (fits ? "one shard holds it, and more shards add nothing until the key changes." : "no shard count keeps it at or below 80%; change the key (see the warnings)."),
  worseAbove: (shardCounts: number[]) =>
    `Not monotonic for these keys: ${shardCounts.join(", ")} shards, above the advice, ${shardCounts.length === 1 ? "puts" : "put"} a shard over 80% again.`,
} as const;

export const splitMessages = {
  title: "Split advice (Kinesis)",
  split: (shardIndex: number, utilizationPct: string, newStartingHashKey: string, lowerPct: string, upperPct: string, fits: boolean) =>
    `Shard ${shardIndex} (${utilizationPct} of its write limit): ` +
    (fits
      ? `split it at NewStartingHashKey ${newStartingHashKey}, the cut between adjacent busy keys that best balances it: the halves take ${lowerPct} and ${upperPct} of the limit.`
      : `no single split brings both halves under the limit: the best cut, at NewStartingHashKey ${newStartingHashKey}, leaves ${lowerPct} and ${upperPct}; split again, or spread the keys.`),
  singleKey: (shardIndex: number, utilizationPct: string, key: string, keyPct: string) =>
    `Shard ${shardIndex} (${utilizationPct} of its write limit): no split helps: key ${JSON.stringify(key)} alone needs ${keyPct} of a shard's write limit, and one key always lands on one shard.`,
  noCut: (shardIndex: number, utilizationPct: string) => `Shard ${shardIndex} (${utilizationPct} of its write limit): fewer than two keys lie on it, so no cut between keys exists.`,
  snippet: "To try a split in a run, paste its entry under the scenario's `timeline:` (with the name of your Kinesis system in place of `kds`; a stream created with the same shard count):",
} as const;

export const inputMessages = {
  fieldSyntax: (text: string) =>
    `--field ${JSON.stringify(text)}: expected name=values, e.g. region=us,eu,ap or tier=gold:1,silver:3 or user=1..5000 (add :zipf=1.1 for a zipf range)`,
  fieldWeights: (name: string) => `--field ${name}: give a weight to every value (value:weight) or to none`,
  fieldWeightPositive: (name: string, value: string, weight: string) =>
    `--field ${name}: expected a positive weight for ${JSON.stringify(value)}, found ${weight} (leave a value out rather than weigh it 0)`,
  fieldDuplicateValue: (name: string, value: string) => `--field ${name}: value ${JSON.stringify(value)} appears twice`,
  fieldRange: (name: string, text: string) => `--field ${name}: range ${JSON.stringify(text)} must be low..high with integers, low <= high`,
  fieldTwice: (name: string) => `--field ${name} is given twice`,
  fieldUnused: (name: string, template: string) => `--field ${name} is not a placeholder of the template ${JSON.stringify(template)}`,
  fieldMissing: (name: string) => `the template's placeholder {${name}} has no --field ${name}=...`,
  templateNoPlaceholder: (template: string) =>
    `--template ${JSON.stringify(template)} has no {name} placeholder; a template needs at least one field`,
  templateTooLarge: (keyCount: number, max: number) =>
    `the template makes ${keyCount} distinct keys; the lab enumerates at most ${max} (narrow a range)`,
  templateKeyTooLong: (key: string, max: number) => `the template makes key ${JSON.stringify(key)}, longer than ${max} characters (Kinesis's limit)`,
} as const;

/** "12.3%" from a fraction. */
export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}
