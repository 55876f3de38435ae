// The autoscaler of one consumer (an SQS fleet or a Kafka group): every evaluation period it reads the
// metric, asks its policy for a capacity, and moves the consumer there. A consumer added starts working
// startupDelay later (instance or container start); one removed stops at once (the model lets it finish
// the batch in hand). A scale-in first cancels consumers still starting, newest first. It measures the
// consumer count over time (desired and working), the activities, and oscillations; recovery episodes
// come from the consumer's lag samples when the run is collected (recovery.ts).

import type { Simulation } from "../engine/index.ts";
import { GaugeSeries, type ConsumerAutoscalingStats, type LagSamples, type ScalingActivity, type SeriesOptions } from "../metrics/index.ts";
import { KedaPolicy, TargetTrackingPolicy, type ScalingPolicy } from "./policy.ts";
import { recoveryEpisodes } from "./recovery.ts";
import type { KedaAutoscalingSpec, SqsAutoscalingSpec } from "../scenario/autoscaling-schema.ts";

/** The most scaling activities (and consumer starts) kept one by one; more are counted, not kept. */
export const activitiesKeptMax = 10_000;

/** What the controller scales: the model's verbs for a consumer that starts working and one that stops. */
export interface ScalingTarget {
  /** A new consumer starts working now. */
  addConsumer(): void;
  /** The newest working consumer stops (after the batch in hand). */
  removeConsumer(): void;
  /** Kafka: working members without a partition now. */
  idleConsumers?(): number;
}

export interface AutoscalerOptions {
  initial: number;
  /** The metric the policy tracks now: visible messages (SQS) or total records lag (Kafka). */
  metric: () => number;
  warmupUs: number;
  endUs: number;
  seriesOptions: SeriesOptions;
  /** Kafka: the topic's partition count now. */
  partitionCount?: () => number;
}

interface Start {
  cancelled: boolean;
}

export class Autoscaler {
  readonly policy: ScalingPolicy;
  readonly desiredSeries: GaugeSeries;
  readonly runningSeries: GaugeSeries;
  readonly idleSeries: GaugeSeries | null;
  private desired: number;
  private running: number;
  private peak: number;
  private readonly starting: Start[] = [];
  private readonly activities: ScalingActivity[] = [];
  /** When each added consumer began working (the first activitiesKeptMax). */
  private readonly startedUs: number[] = [];
  private scaleOuts = 0;
  private scaleIns = 0;
  private oscillations = 0;
  private firstOscillationUs = -1;
  private lastActivity: { atUs: number; up: boolean } | null = null;
  private cappedAtMax = 0;
  private idleSecondsUs = 0;
  private consumerUs = 0;
  private peakIdle = 0;
  private lastAccountUs = 0;
  private lastIdle = 0;
  private readonly startHandler = (start: Start): void => this.started(start);

  constructor(
    readonly spec: SqsAutoscalingSpec | KedaAutoscalingSpec,
    private readonly sim: Simulation,
    private readonly target: ScalingTarget,
    private readonly options: AutoscalerOptions,
  ) {
    this.policy = "targetBacklogPerConsumer" in spec ? new TargetTrackingPolicy(spec) : new KedaPolicy(spec, options.partitionCount ?? (() => Infinity));
    this.desired = options.initial;
    this.running = options.initial;
    this.peak = options.initial;
    this.desiredSeries = new GaugeSeries(options.seriesOptions);
    this.runningSeries = new GaugeSeries(options.seriesOptions);
    this.idleSeries = target.idleConsumers === undefined ? null : new GaugeSeries(options.seriesOptions);
  }

  start(): void {
    this.desiredSeries.set(0, this.desired);
    this.runningSeries.set(0, this.running);
    const periodUs = this.policy.evaluationPeriodUs;
    const tick = (): void => {
      this.evaluate();
      if (this.sim.nowUs + periodUs <= this.options.endUs) this.sim.after(periodUs, tick);
    };
    if (periodUs <= this.options.endUs) this.sim.at(periodUs, tick);
  }

  /** One evaluation: the policy's capacity, and the consumers added or removed to reach it. */
  private evaluate(): void {
    const now = this.sim.nowUs;
    this.account(now);
    const recommendation = this.policy.evaluate(now, this.options.metric(), this.running, this.desired);
    if (recommendation.capped) this.cappedAtMax++;
    if (recommendation.desired !== this.desired) this.scaleTo(now, recommendation.desired);
  }

  private scaleTo(now: number, next: number): void {
    const up = next > this.desired;
    if (this.activities.length < activitiesKeptMax) this.activities.push({ atUs: now, from: this.desired, to: next });
    if (up) this.scaleOuts++;
    else this.scaleIns++;
    const last = this.lastActivity;
    if (last !== null && last.up !== up && now - last.atUs < this.spec.oscillationWindow) {
      this.oscillations++;
      if (this.firstOscillationUs < 0) this.firstOscillationUs = last.atUs;
    }
    this.lastActivity = { atUs: now, up };
    for (let count = this.desired; count < next; count++) {
      const start: Start = { cancelled: false };
      this.starting.push(start);
      this.sim.after(this.spec.startupDelay, this.startHandler, start);
    }
    for (let count = this.desired; count > next; count--) {
      const start = this.starting.pop();
      if (start !== undefined) start.cancelled = true;
      else this.stopOne(now);
    }
    this.desired = next;
    this.peak = Math.max(this.peak, next);
    this.desiredSeries.set(now, next);
  }

  private started(start: Start): void {
    if (start.cancelled) return;
    const now = this.sim.nowUs;
    const index = this.starting.indexOf(start);
    this.starting.splice(index, 1);
    this.account(now);
    this.running++;
    if (this.startedUs.length < activitiesKeptMax) this.startedUs.push(now);
    this.target.addConsumer();
    this.runningSeries.set(now, this.running);
    this.noteIdle(now);
  }

  private stopOne(now: number): void {
    this.running--;
    this.target.removeConsumer();
    this.runningSeries.set(now, this.running);
    this.noteIdle(now);
  }

  /** Kafka: the idle members after a change (the group assigns partitions at its next rebalance; sampled each second too). */
  noteIdle(now: number): void {
    if (this.idleSeries === null || this.target.idleConsumers === undefined) return;
    this.account(now);
    this.lastIdle = this.target.idleConsumers();
    this.peakIdle = Math.max(this.peakIdle, this.lastIdle);
    this.idleSeries.set(now, this.lastIdle);
  }

  /** Consumer-seconds (working, and idle) after warm-up, up to now. */
  private account(now: number): void {
    const fromUs = Math.max(this.lastAccountUs, this.options.warmupUs);
    if (now > fromUs) {
      this.consumerUs += (now - fromUs) * this.running;
      this.idleSecondsUs += (now - fromUs) * this.lastIdle;
    }
    this.lastAccountUs = Math.max(this.lastAccountUs, now);
  }

  /** Reads only (collecting twice gives the same). */
  stats(lagSamples: LagSamples, extra: { rebalances?: number }): ConsumerAutoscalingStats {
    const endUs = this.options.endUs;
    const fromUs = Math.max(this.lastAccountUs, this.options.warmupUs);
    const tailUs = Math.max(0, endUs - fromUs);
    this.desiredSeries.finish(endUs);
    this.runningSeries.finish(endUs);
    this.idleSeries?.finish(endUs);
    const spec = this.spec;
    const keda = "lagThreshold" in spec;
    return {
      policy: keda ? "keda" : "target-tracking",
      target: keda ? spec.lagThreshold : spec.targetBacklogPerConsumer,
      metric: keda ? "lag per replica" : "backlog per consumer",
      min: keda ? spec.minReplicaCount : spec.minConsumers,
      max: keda ? spec.maxReplicaCount : spec.maxConsumers,
      initial: this.options.initial,
      final: this.desired,
      peak: this.peak,
      desired: this.desiredSeries,
      running: this.runningSeries,
      ...(this.idleSeries === null ? {} : { idle: this.idleSeries, partitions: this.options.partitionCount?.() ?? 0 }),
      idleConsumerSecondsAfterWarmup: (this.idleSecondsUs + tailUs * this.lastIdle) / 1e6,
      peakIdle: this.peakIdle,
      consumerSecondsAfterWarmup: (this.consumerUs + tailUs * this.running) / 1e6,
      scaleOuts: this.scaleOuts,
      scaleIns: this.scaleIns,
      activities: this.activities.slice(),
      oscillations: this.oscillations,
      firstOscillationUs: this.firstOscillationUs,
      oscillationWindowUs: spec.oscillationWindow,
      cappedAtMax: this.cappedAtMax,
      startupDelayUs: spec.startupDelay,
      recoveryLagUs: spec.recoveryLag,
      episodes: recoveryEpisodes(lagSamples, spec.recoveryLag, this.startedUs),
      ...(extra.rebalances === undefined ? {} : { rebalances: extra.rebalances }),
    };
  }
}
