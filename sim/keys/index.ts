// The partition-key lab: where given keys land on Kinesis shards and Kafka partitions, how evenly,
// how loaded, and what to change. Computes only; reports/keys renders; the CLI wires the two.

export { analyseKeys, type BrokerWriteCapacity, type KeyAnalysis, type LabOptions } from "./analyse.ts";
export { brokerWriteCapacity, kafkaBrokerTypes } from "./broker.ts";
export { adviseShardCount, ADVICE_UTILIZATION_MAX, type Advice, type CountAdvice, type HotKey } from "./advice.ts";
export { parseFieldFlags, type FieldsResult } from "./fields.ts";
export { hashKeys, kinesisShards, kafkaPartitions, type KeyHashes } from "./hashing.ts";
export { keySetFromFile, keySetFromTemplate, keySetFromTrace, type TraceOptions, TEMPLATE_KEYS_MAX, type KeySet, type KeySetResult, type TraceTotals } from "./input.ts";
export { labLoad, tracePeak, isoTime, BURST_TIMES_AVERAGE_MIN, RECORD_SIZE_DEFAULT_BYTES, type GivenLoad } from "./load.ts";
export { adviceMessages, inputMessages, splitMessages, percent, remedyMessages, warningMessages, type RemedyCode } from "./messages.ts";
export { gini, keyRates, shardUtilization, spreadOf, HOTTEST_SLOTS, TOP_KEYS_PER_SLOT, type Load, type TracePeak, type Spread, type SlotSpread, type TargetKind, type TopKey } from "./spread.ts";
export { detectWarnings, isTimeLike, KEYS_PER_SLOT_MIN, type KeyWarning, type WarningCode } from "./warnings.ts";
export { busiestSubtaskRecordsPerSecond, flinkSpread, type FlinkHotKey, type FlinkSpread } from "./flink.ts";
export { shardSplits, type ShardSplit } from "./split.ts";
