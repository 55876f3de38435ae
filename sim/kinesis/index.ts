export { KinesisModel, type ModelContext } from "./model.ts";
export { partitionKeyHash, evenHashRanges, HashRouter, shardIdOf } from "./hash.ts";
