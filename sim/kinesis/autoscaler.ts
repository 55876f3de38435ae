// Alarm-driven scaling of a provisioned stream (docs/reference.md §1.10): the stream publishes its
// metrics once a minute; each period's datapoint reaches the alarms a publication delay after the
// period ends; a standard alarm evaluates every minute and is in ALARM when M of its last N datapoints
// breach; its action calls UpdateShardCount (uniform scaling) through the Resharder, which applies the
// service's limits. Steps and cooldowns follow Application Auto Scaling's step policies.

import type { Simulation } from "../engine/index.ts";
import type { AutoscalingAction, AutoscalingStats } from "../metrics/index.ts";
import type { KinesisAutoscaling } from "../scenario/kinesis-autoscaling-schema.ts";
import { scalingsPer24hMax, shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from "./limits.ts";
import type { Resharder } from "./resharding.ts";
import type { KinesisStream } from "./stream.ts";

const secondUs = 1_000_000;
const minuteUs = 60 * secondUs;

type Direction = AutoscalingAction["direction"];

export class ShardAutoscaler {
  readonly actions: AutoscalingAction[] = [];
  private refusedCalls = 0;
  private refusedForBudget = 0;
  // Per minute of the run: IncomingBytes and IncomingRecords (Sum: the Kinesis records the shards took,
  // aggregates under KPL aggregation, as CloudWatch publishes them), and the largest iterator age (Maximum).
  private readonly minuteBytes: number[] = [];
  private readonly minuteRecords: number[] = [];
  private readonly minuteAgeUs: number[] = [];
  private lastBytes = 0;
  private lastRecords = 0;
  private lastThrottled = 0;
  private ageThisMinuteUs = 0;
  private readonly lastDoneUs: Record<Direction, number> = { out: -Infinity, in: -Infinity };
  private askedByUs = false;
  private throttledSeconds = 0;
  private throttledWaiting = 0;
  private throttledBeforeAlarm = 0;
  private throttledWhileUpdating = 0;

  constructor(
    private readonly settings: KinesisAutoscaling,
    private readonly sim: Simulation,
    private readonly stream: KinesisStream,
    private readonly resharder: Resharder,
    private readonly updateShardCountTimeUs: number,
    /** The iterator age the alarm's metric reads now (GetRecords readers), in microseconds. */
    private readonly iteratorAgeUs: () => number,
  ) {}

  /** Every simulated second: throttling and iterator age; at each whole minute, the metrics and the alarms. */
  tick(nowUs: number): void {
    this.countThrottling();
    this.ageThisMinuteUs = Math.max(this.ageThisMinuteUs, this.iteratorAgeUs());
    if (nowUs === 0 || nowUs % minuteUs !== 0) return;
    this.closeMinute();
    this.evaluate(nowUs);
  }

  private countThrottling(): void {
    let throttled = 0;
    for (const shard of this.stream.shards) throttled += shard.throttledAttempts;
    const any = throttled > this.lastThrottled;
    this.lastThrottled = throttled;
    if (!any) return;
    this.throttledSeconds++;
    if (this.resharder.isUpdating && this.askedByUs) this.throttledWhileUpdating++;
    else this.throttledWaiting++;
  }

  private closeMinute(): void {
    let bytes = 0;
    let records = 0;
    for (const shard of this.stream.shards) {
      bytes += shard.incomingBytes;
      records += shard.incomingRecords;
    }
    this.minuteBytes.push(bytes - this.lastBytes);
    this.minuteRecords.push(records - this.lastRecords);
    this.minuteAgeUs.push(this.ageThisMinuteUs);
    this.lastBytes = bytes;
    this.lastRecords = records;
    this.ageThisMinuteUs = 0;
  }

  /**
   * The datapoints that have reached the alarm by nowUs, newest last: one per whole period that ended
   * at least the publication delay ago.
   */
  private datapoints(nowUs: number, count: number, shards: number): number[] {
    const periodUs = this.settings.period;
    const publicationDelayUs = this.settings.publicationDelay;
    const newest = Math.floor((nowUs - publicationDelayUs) / periodUs) - 1;
    const values: number[] = [];
    for (let p = Math.max(0, newest - count + 1); p <= newest; p++) values.push(this.datapoint(p, shards));
    return values;
  }

  /** Period p's value: the Sum over open shards' capacity for the period (as the AWS sample's metric math), or the Maximum iterator age in ms. */
  private datapoint(p: number, shards: number): number {
    const minutes = this.settings.period / minuteUs;
    let bytes = 0;
    let records = 0;
    let ageUs = 0;
    for (let m = p * minutes; m < (p + 1) * minutes; m++) {
      bytes += this.minuteBytes[m];
      records += this.minuteRecords[m];
      ageUs = Math.max(ageUs, this.minuteAgeUs[m]);
    }
    const seconds = this.settings.period / secondUs;
    const bytesShare = bytes / (shardWriteBytesPerSecond * seconds * shards);
    const recordsShare = records / (shardWriteRecordsPerSecond * seconds * shards);
    switch (this.settings.metric) {
      case "incoming":
        return Math.max(bytesShare, recordsShare);
      case "incoming-bytes":
        return bytesShare;
      case "incoming-records":
        return recordsShare;
      case "iterator-age":
        return ageUs / 1000;
    }
  }

  /** The alarms at a whole minute: scale-out first (Application Auto Scaling lets it through a scale-in cooldown). */
  private evaluate(nowUs: number): void {
    // Application Auto Scaling starts no scaling activity while one is in progress (the stream UPDATING).
    if (this.resharder.isUpdating) return;
    const shards = this.stream.openShards.length;
    const out = this.alarm("out", nowUs, shards);
    if (out !== null) return this.scale("out", nowUs, shards, out);
    const scaleIn = this.alarm("in", nowUs, shards);
    if (scaleIn !== null) this.scale("in", nowUs, shards, scaleIn);
  }

  /** The newest datapoint when the direction's alarm is in ALARM, else null. */
  private alarm(direction: Direction, nowUs: number, shards: number): number | null {
    const policy = direction === "out" ? this.settings.scaleOut : this.settings.scaleIn;
    const values = this.datapoints(nowUs, policy.evaluationPeriods, shards);
    const threshold = this.settings.metric === "iterator-age" ? policy.threshold / 1000 : policy.threshold;
    const breaching = values.filter((value) => (direction === "out" ? value >= threshold : value < threshold)).length;
    return breaching >= policy.datapointsToAlarm ? values[values.length - 1] : null;
  }

  private scale(direction: Direction, nowUs: number, shards: number, datapoint: number): void {
    const policy = direction === "out" ? this.settings.scaleOut : this.settings.scaleIn;
    if (nowUs < this.lastDoneUs[direction] + policy.cooldown) return;
    const target = this.target(direction, shards, datapoint);
    if (target === shards) return;
    const entry: AutoscalingAction = { atUs: nowUs, direction, fromShards: shards, toShards: target, outcome: "done", reason: "", calls: 1, landedUs: null, datapoint: round(datapoint) };
    const budgetBefore = this.resharder.scalingsInLastDay();
    const refusal = this.resharder.updateShardCount(target, this.updateShardCountTimeUs, "autoscaling", () => {
      entry.landedUs = this.sim.nowUs;
    });
    if (refusal !== null) return this.refused(entry, refusal, budgetBefore);
    this.lastDoneUs[direction] = nowUs;
    this.askedByUs = true;
    if (direction === "out") {
      this.throttledBeforeAlarm += this.throttledWaiting;
    }
    this.throttledWaiting = 0;
    this.actions.push(entry);
  }

  /**
   * The step's target within the policy's bounds and UpdateShardCount's rule (between half and double
   * the current count): percent adds or removes that share of the shards, rounded down, at least one
   * (Application Auto Scaling's PercentChangeInCapacity); targetUtilization asks for as many shards as
   * bring the newest datapoint to it.
   */
  private target(direction: Direction, shards: number, datapoint: number): number {
    const policy = direction === "out" ? this.settings.scaleOut : this.settings.scaleIn;
    const settings = this.settings;
    const targetUtilization = settings.metric === "iterator-age" ? undefined : (direction === "out" ? settings.scaleOut : settings.scaleIn).targetUtilization;
    const defaultPercent = direction === "out" ? 100 : 50;
    let wanted: number;
    if (targetUtilization !== undefined) {
      const needed = Math.ceil((shards * datapoint) / targetUtilization);
      wanted = direction === "out" ? Math.max(shards + 1, needed) : Math.min(shards - 1, Math.max(1, needed));
    } else {
      const step = Math.max(1, Math.floor((shards * (policy.percent ?? defaultPercent)) / 100));
      wanted = direction === "out" ? shards + step : shards - step;
    }
    const { minShards, maxShards } = this.settings;
    return Math.min(maxShards, 2 * shards, Math.max(minShards, Math.ceil(shards / 2), wanted));
  }

  /** A refused call: a run of identical refusals in a row is one entry with its count of calls. */
  private refused(entry: AutoscalingAction, reason: string, budgetUsed: number): void {
    this.refusedCalls++;
    if (budgetUsed >= scalingsPer24hMax) this.refusedForBudget++;
    const last = this.actions[this.actions.length - 1];
    if (last !== undefined && last.outcome === "refused" && last.direction === entry.direction && last.reason === reason && last.toShards === entry.toShards) {
      last.calls++;
      return;
    }
    this.actions.push({ ...entry, outcome: "refused", reason });
  }

  stats(): AutoscalingStats {
    const s = this.settings;
    return {
      metric: s.metric,
      periodUs: s.period,
      publicationDelayUs: s.publicationDelay,
      scaleOutReactionUs: s.scaleOut.datapointsToAlarm * s.period + s.publicationDelay,
      scaleOutCooldownUs: s.scaleOut.cooldown,
      scaleInCooldownUs: s.scaleIn.cooldown,
      minShards: s.minShards,
      maxShards: s.maxShards,
      shardWriteBytesPerSecond,
      shardWriteRecordsPerSecond,
      actions: this.actions.map((action) => ({ ...action })),
      refusedCalls: this.refusedCalls,
      refusedForBudget: this.refusedForBudget,
      throttledSeconds: this.throttledSeconds,
      throttledSecondsBeforeAlarm: this.throttledBeforeAlarm,
      throttledSecondsWhileUpdating: this.throttledWhileUpdating,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
