// Workload generation speed: records per second that a producer stream fills into blocks, with
// zipf keys and lognormal sizes (arrival times, keys and sizes drawn per record).

import { RandomStreams } from "../sim/engine/index.ts";
import { rateProfile } from "../sim/scenario/normalize.ts";
import type { ProducerSpec } from "../sim/scenario/types.ts";
import { ProducerStream, RecordBlock } from "../sim/workload/index.ts";

export interface WorkloadBenchResult {
  records: number;
  seconds: number;
  recordsPerSecond: number;
}

export function benchWorkload(records: number): WorkloadBenchResult {
  const recordsPerSecond = 100_000;
  const durationUs = Math.ceil((records / recordsPerSecond) * 1e6) + 60_000_000;
  const spec: ProducerSpec = {
    name: "bench",
    rate: rateProfile({ recordsPerSecond, arrivals: "poisson" }, durationUs, 0),
    recordSize: { distribution: "lognormal", median: 1024, p99: 8192, capBytes: 1024 * 1024, capSource: "bench" },
    keys: { distribution: "zipf", cardinality: 10_000, exponent: 1.1, template: "sensor-{i}" },
  };
  const stream = new ProducerStream(spec, { startEpochMs: 0, durationUs }, new RandomStreams(1));
  const block = new RecordBlock(8192);
  let generated = 0;
  let untilUs = 0;
  const startNs = process.hrtime.bigint();
  while (generated < records) {
    untilUs += 1_000_000;
    while (stream.fill(untilUs, block) > 0) generated += block.count;
  }
  const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
  return { records: generated, seconds, recordsPerSecond: generated / seconds };
}
