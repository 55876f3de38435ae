export { KafkaModel, replicasOf } from "./model.ts";
export { partitionForKey, murmur2 } from "./partitioner.ts";
export { kafkaConfiguration } from "./configuration.ts";
