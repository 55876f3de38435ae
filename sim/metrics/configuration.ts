// What a system was configured to be as it ran: the resolved scenario, defaults included, in one shape
// for every kind, so reports set systems side by side and name what differs between them (docs/results.md,
// "Comparisons"). Each kind fills it from its own spec (sim/<kind>/configuration.ts, registered in
// sim/run/registry.ts); the words of each kind live there, the shared ones here.

import { formatDurationUs } from "../units/index.ts";

/** "1 shard", "10 shards": a count with its noun in the right number. */
export function countText(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** When the producer is told a write succeeded. */
export type Acknowledgement = "replicated" | "leader" | "none";

export interface ConsumerConfiguration {
  name: string;
  /** How it reads, in the service's words: "polling (GetRecords)", "consumer group (range)". */
  type: string;
  /** Readers working in parallel: a worker per shard, the group's members, the fleet's consumers. */
  instances: number;
  /** What an instance is, for the count: "shard workers", "consumers". */
  instancesOf: string;
  processingPerRecordUs: number;
  processingPerBatchUs: number;
  /** How each instance fetches, in words: "polls every 1.5s for up to 10000 records". */
  reading: string;
}

export interface SystemConfiguration {
  /** How the system is sized, in words: "provisioned, 4 shards", "3 brokers". */
  capacity: string;
  /** Shards or partitions at the start; null for a queue. */
  partitions: number | null;
  /** The broker instance type; null for a serverless service. */
  instanceType: string | null;
  /** Copies of each record; null where the service keeps an unpublished number of copies in several AZs. */
  replicationCopies: number | null;
  replication: string;
  acknowledgement: Acknowledgement;
  /** The acknowledgement setting in the service's words: "acks=all", "after storing in 3 AZs". */
  acks: string;
  retentionUs: number;
  /** The retention in words, with any size limit beside the time. */
  retention: string;
  consumers: ConsumerConfiguration[];
  producer: {
    /** Longest a record waits for its batch to fill: what batching adds to producer latency. */
    lingerUs: number;
    batching: string;
    /** What the client does with a failed write, in words; equal words mean equal policies. */
    retry: string;
  };
}

/** The settings of a retry policy with exponential backoff (the AWS SDKs' shape). */
export interface BackoffRetry {
  maxAttempts: number;
  baseDelay: number;
  maxDelay: number;
  jitter: "none" | "full" | "equal";
}

/** "up to 3 attempts, backoff 100ms to 20s, full jitter": the same words for the same policy in every kind. */
export function backoffRetryText(retry: BackoffRetry): string {
  const attempts = retry.maxAttempts === 1 ? "no retries" : `up to ${retry.maxAttempts} attempts`;
  return `${attempts}, backoff ${formatDurationUs(retry.baseDelay)} to ${formatDurationUs(retry.maxDelay)}, ${retry.jitter} jitter`;
}

const hourUs = 3_600_000_000;

/** A retention as people say it: "24 h", "4 days", "7 days", "90 min"; other lengths in the scenario's own form. */
export function retentionText(retentionUs: number): string {
  const days = retentionUs / (24 * hourUs);
  if (Number.isInteger(days) && days >= 2) return `${days} days`;
  const hours = retentionUs / hourUs;
  if (Number.isInteger(hours)) return `${hours} h`;
  return formatDurationUs(retentionUs);
}
