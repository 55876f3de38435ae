// When read throttling matters: the share of a reader's GetRecords calls the shard's shared read
// limits refused. From 1% on it is a warning and can explain a backlog; below it, an occasional refused
// call that the reader retries within its poll interval (info, and no cause of a backlog).

import type { ConsumerResult } from "../metrics/index.ts";

/** The share of a reader's GetRecords calls throttled from which read throttling is a warning and can explain a backlog. */
export const readThrottledShareWarning = 0.01;

/** The share of a reader's GetRecords calls that were throttled (1 when throttled calls are known but not the calls). */
export function readThrottledShare(consumer: Pick<ConsumerResult, "readThrottles" | "readCalls">): number {
  if (consumer.readThrottles === 0) return 0;
  return consumer.readCalls > 0 ? consumer.readThrottles / consumer.readCalls : 1;
}
