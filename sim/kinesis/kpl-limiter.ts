// The KPL's per-shard rate limit: one producer sends a shard at most RateLimit (150% by default) of the
// shard's write limit, in records and in bytes, with a token bucket for each; records over it stay in
// the producer's buffer instead of going out to be throttled (docs/reference.md §1.2).

import { TokenBucket } from "../engine/index.ts";
import { shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from "./limits.ts";

/** The KPL's default RateLimit, percent of the shard's limits (docs/reference.md §1.2). */
export const kplRateLimitPercent = 150;

export class KplShardLimiter {
  private readonly records = new Map<number, TokenBucket>();
  private readonly bytes = new Map<number, TokenBucket>();
  /** Kinesis records held back per shard since the last beginPut. */
  private readonly heldPerShard = new Map<number, number>();

  constructor(
    private readonly ratePercent: number,
    private readonly maxRecordBytes: number,
  ) {}

  /** Starts counting what one put holds back. */
  beginPut(): void {
    this.heldPerShard.clear();
  }

  /**
   * How long the limit takes to pass what the last put held back on its busiest shard. The KPL queues
   * held records per shard and sends them as tokens come; the model offers them again after this
   * time instead of every few milliseconds (same rate, far fewer re-checks).
   */
  drainTimeUs(): number {
    let held = 0;
    for (const count of this.heldPerShard.values()) held = Math.max(held, count);
    return Math.ceil((held * 1e6) / ((shardWriteRecordsPerSecond * this.ratePercent) / 100));
  }

  /** Whether the producer may send a Kinesis record of `bytes` to `shardIndex` at nowUs; takes the tokens if so. */
  trySend(shardIndex: number, nowUs: number, bytes: number): boolean {
    let records = this.records.get(shardIndex);
    let byteBucket = this.bytes.get(shardIndex);
    if (records === undefined || byteBucket === undefined) {
      const scale = this.ratePercent / 100;
      // A bucket holds one second of its rate, and at least one record of any size.
      records = new TokenBucket(shardWriteRecordsPerSecond * scale, shardWriteRecordsPerSecond * scale, nowUs);
      byteBucket = new TokenBucket(shardWriteBytesPerSecond * scale, Math.max(shardWriteBytesPerSecond * scale, this.maxRecordBytes), nowUs);
      this.records.set(shardIndex, records);
      this.bytes.set(shardIndex, byteBucket);
    }
    if (records.tokensAt(nowUs) < 1 || byteBucket.tokensAt(nowUs) < bytes) {
      this.heldPerShard.set(shardIndex, (this.heldPerShard.get(shardIndex) ?? 0) + 1);
      return false;
    }
    records.take(1);
    byteBucket.take(bytes);
    return true;
  }
}
