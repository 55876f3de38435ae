export { KafkaModel, replicasOf, type KafkaModelContext } from "./model.ts";
export { partitionForKey, murmur2 } from "./partitioner.ts";
