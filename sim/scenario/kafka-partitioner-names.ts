// The Kafka client partitioners a scenario and the key lab name (docs/keys.md): a leaf module, so the
// command line can list them without loading the scenario schema.

/** murmur2 is the Java client's default; consistent_random is librdkafka's (confluent-kafka for Python, Go, .NET, Node). */
export const kafkaPartitionerNames = ["murmur2", "kafkajs", "consistent_random", "consistent", "murmur2_random", "fnv1a_random", "sarama"] as const;
export type KafkaPartitionerName = (typeof kafkaPartitionerNames)[number];
