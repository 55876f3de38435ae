export { headlineMetrics, metricAt } from "./headline.ts";
export { meanCi, tCritical95, type MeanCi } from "./stats.ts";
export { sweepCsv } from "./csv.ts";
export { sweepDocument } from "./document.ts";
export { readShards, shardFileName, type MergeResult } from "./shards.ts";
export { writeSweepReport, writeSweepShard, type WrittenSweep } from "./write.ts";
