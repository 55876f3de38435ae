export { KinesisModel } from "./model.ts";
export { partitionKeyHash, evenHashRanges, HashRouter, shardIdOf } from "./hash.ts";
