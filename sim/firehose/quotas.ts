// A Direct PUT stream's throughput quotas (docs/reference.md §7.1): records/s, requests/s and bytes/s,
// combined over PutRecord and PutRecordBatch, each a token bucket holding one second of its limit
// (docs/design.md "Write limits"). A call over the request limit fails whole; within it, records are
// accepted in order while the record and byte buckets allow, and the rest fail one by one
// (FailedPutCount), which the producer resends as the Kinesis producer does.

import { TokenBucket } from "../engine/index.ts";

export interface QuotaSettings {
  recordsPerSecond: number;
  requestsPerSecond: number;
  bytesPerSecond: number;
}

export class DirectPutQuotas {
  private readonly records: TokenBucket;
  private readonly requests: TokenBucket;
  private readonly bytes: TokenBucket;
  /** Calls refused whole by the request limit. */
  throttledCalls = 0;

  constructor(readonly settings: QuotaSettings) {
    this.records = new TokenBucket(settings.recordsPerSecond, settings.recordsPerSecond);
    this.requests = new TokenBucket(settings.requestsPerSecond, settings.requestsPerSecond);
    this.bytes = new TokenBucket(settings.bytesPerSecond, settings.bytesPerSecond);
  }

  /** How many of the call's first records are accepted at nowUs (in order); takes their tokens. */
  admit(nowUs: number, count: number, sizeBytes: ArrayLike<number>): number {
    if (!this.requests.tryTake(nowUs, 1)) {
      this.throttledCalls++;
      return 0;
    }
    const recordTokens = this.records.tokensAt(nowUs);
    const byteTokens = this.bytes.tokensAt(nowUs);
    let accepted = 0;
    let bytes = 0;
    while (accepted < count && accepted + 1 <= recordTokens && bytes + sizeBytes[accepted] <= byteTokens) {
      bytes += sizeBytes[accepted];
      accepted++;
    }
    this.records.take(accepted);
    this.bytes.take(bytes);
    return accepted;
  }
}
