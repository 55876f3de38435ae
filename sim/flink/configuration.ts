// A Flink consumer's configuration as it ran, for the report's configuration table.

import type { ConsumerConfiguration } from "../metrics/index.ts";
import { defaultMaxParallelism } from "./key-groups.ts";

interface FlinkSpecCommon {
  name: string;
  parallelism: number;
  parallelismPerKpu: number;
  maxParallelism?: number;
  processing: { perRecord: number };
}

export function flinkConsumerConfiguration(consumer: FlinkSpecCommon, source: string): ConsumerConfiguration {
  const kpus = Math.ceil(consumer.parallelism / consumer.parallelismPerKpu);
  const maxParallelism = consumer.maxParallelism ?? defaultMaxParallelism(consumer.parallelism);
  return {
    name: consumer.name,
    type: `Managed Service for Apache Flink (${kpus} KPU${kpus === 1 ? "" : "s"} + 1 for orchestration)`,
    instances: consumer.parallelism,
    instancesOf: `keyed subtasks, ${consumer.parallelismPerKpu} per KPU`,
    processingPerRecordUs: consumer.processing.perRecord,
    processingPerBatchUs: 0,
    reading: `source: ${source}; keyBy over ${maxParallelism} key groups`,
  };
}
