// What each partition's log keeps on disk over the billing window (docs/reference.md §3.3, §5): the
// time-average of its stored bytes (every segment retention kept, sampled each simulated second after
// warm-up) and the log bytes appended in the window (its ingest rate), with the brokers holding its
// replicas. The cost model turns these into GB-months; followers are taken to hold what the leader holds.

import type { KafkaPartitionStorage } from "../metrics/index.ts";
import type { Partition } from "./partition.ts";

export class StorageMeter {
  private readonly storedSum: number[] = [];
  private readonly bytesAtStart: number[] = [];
  private samples = 0;

  constructor(private readonly warmupUs: number) {}

  /** The per-second sample at nowUs: before the window it notes where each log starts, in it what each stores. */
  sample(nowUs: number, partitions: readonly Partition[]): void {
    for (let p = this.bytesAtStart.length; p < partitions.length; p++) {
      this.bytesAtStart.push(partitions[p].log.bytesTotal);
      this.storedSum.push(0);
    }
    if (nowUs <= this.warmupUs) {
      for (let p = 0; p < partitions.length; p++) this.bytesAtStart[p] = partitions[p].log.bytesTotal;
      return;
    }
    for (let p = 0; p < partitions.length; p++) this.storedSum[p] += partitions[p].storedBytes;
    this.samples++;
  }

  result(partitions: readonly Partition[]): KafkaPartitionStorage[] {
    return partitions.map((partition, p) => ({
      brokers: [...partition.replicas],
      storedBytesMean: this.samples === 0 ? 0 : (this.storedSum[p] ?? 0) / this.samples,
      appendedBytes: Math.max(0, partition.log.bytesTotal - (this.bytesAtStart[p] ?? 0)),
    }));
  }
}
