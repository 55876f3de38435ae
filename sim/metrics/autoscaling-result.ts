// What a Kinesis stream's alarm-driven autoscaling did (docs/reference.md §1.10): each UpdateShardCount
// it called, and how long writes were throttled while the alarms had not fired yet. Models fill it;
// the findings and reports/ read it.

/** One UpdateShardCount call by the autoscaler, or a run of identical refused calls. */
export interface AutoscalingAction {
  /** When the alarm's action called UpdateShardCount (the first call, for a run of refusals). */
  atUs: number;
  direction: "out" | "in";
  fromShards: number;
  toShards: number;
  outcome: "done" | "refused";
  /** The service's refusal (empty when done). */
  reason: string;
  /** Calls this entry stands for: 1, or how many refused calls in a row it merges. */
  calls: number;
  /** When the new count landed; null while still UPDATING at the end, or refused. */
  landedUs: number | null;
  /** The newest datapoint the alarm saw: a share of capacity, or an iterator age in ms. */
  datapoint: number;
}

export interface AutoscalingStats {
  metric: "incoming" | "incoming-bytes" | "incoming-records" | "iterator-age";
  periodUs: number;
  publicationDelayUs: number;
  /** The soonest a step in demand can fire the scale-out alarm: M-th datapoint's period end plus the delay (M x period + delay). */
  scaleOutReactionUs: number;
  scaleOutCooldownUs: number;
  scaleInCooldownUs: number;
  minShards: number;
  maxShards: number;
  /** One shard's write limit, which the utilization metrics divide by (and reports draw demand against). */
  shardWriteBytesPerSecond: number;
  shardWriteRecordsPerSecond: number;
  actions: AutoscalingAction[];
  /** Refused calls, every one counted (actions merge runs of them). */
  refusedCalls: number;
  /** Refused for the budget of UpdateShardCount calls per rolling 24 hours. */
  refusedForBudget: number;
  /** Seconds with throttled writes, whatever the cause. */
  throttledSeconds: number;
  /** Of those, seconds before a scale-out alarm fired (since the previous change landed): waiting for the alarm. */
  throttledSecondsBeforeAlarm: number;
  /** Of those, seconds while the stream was UPDATING toward a count the autoscaler asked for. */
  throttledSecondsWhileUpdating: number;
}
