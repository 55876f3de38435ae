// What a Lambda consumer (a function behind an event source mapping) reports beside the shared consumer
// terms (docs/reference.md §6): its invocations, errors, throttles and concurrency, and the usage Lambda
// bills (requests and GB-seconds after warm-up).

import type { LogHistogram } from "./histogram.ts";
import type { GaugeSeries } from "./series.ts";

export interface LambdaConsumerStats {
  functionName: string;
  memoryMb: number;
  architecture: "x86_64" | "arm64";
  batchSize: number;
  parallelizationFactor: number;
  /** Shards read (each with parallelizationFactor lanes). */
  partitions: number;
  invocations: number;
  failedInvocations: number;
  timeouts: number;
  /** Invocations refused for want of concurrency (reserved or the account's). */
  throttles: number;
  /** Failed batches sent again (bisections not included: they use no retry). */
  retries: number;
  bisections: number;
  coldStarts: number;
  /** Records given up and sent to the on-failure destination. */
  recordsSentToDestination: number;
  /** Records given up with no destination: skipped, gone. */
  recordsDiscarded: number;
  requestsAfterWarmup: number;
  gbSecondsAfterWarmup: number;
  /** Concurrent executions of the function over time. */
  concurrency: GaugeSeries;
  peakConcurrency: number;
  /** Mean concurrent executions after warm-up. */
  meanConcurrency: number;
  /** The account's concurrency limit, and the most executions its functions ran at once. */
  accountConcurrencyLimit: number;
  accountPeakConcurrency: number;
  /** Invocation durations (init included on cold starts), microseconds. */
  duration: LogHistogram;
  /** The longest a lane kept retrying one batch, and the shard it was on ("" when none retried). */
  longestBlockedUs: number;
  longestBlockedShard: string;
  /** Settings the findings explain causes by. */
  maximumRetryAttempts: number;
  bisect: boolean;
  maximumRecordAgeUs: number;
  onFailureDestination: boolean;
  /**
   * Kinesis mappings with parallelizationFactor > 1 only: the records each lane of each shard processed
   * (a key's records all go to one lane, docs/reference.md §6.2); the findings name a key that holds one.
   */
  keyLanes?: Array<{ shard: string; records: number[] }>;
  /** Kafka mappings only: the event pollers that fetched and invoked (docs/reference.md §6.6). */
  pollers?: {
    mode: "on-demand" | "provisioned";
    final: number;
    peak: number;
    /** When the pollers first reached their peak. */
    peakAtUs: number;
    series: GaugeSeries;
    /** Poller-seconds after warm-up: what provisioned mode bills as Event Poller Units. */
    pollerSecondsAfterWarmup: number;
  };
}
