export { KinesisModel } from "./model.ts";
export { partitionKeyHash, evenHashRanges, HashRouter, shardIdOf } from "./hash.ts";
export { kinesisConfiguration } from "./configuration.ts";
