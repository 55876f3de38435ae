// Amazon Managed Service for Apache Flink: the parts a Flink application is built from (key routing,
// subtasks on KPUs), free of any source system; sim/kinesis and sim/kafka attach it as a consumer.

export {
  defaultMaxParallelism,
  flinkMurmurHash,
  javaStringHashCode,
  keyGroupOfHash,
  keyGroupRange,
  KeyGroupRouter,
  maxParallelismDefaultMin,
  maxParallelismMax,
  subtaskOfKeyGroup,
} from "./key-groups.ts";
