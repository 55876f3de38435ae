// The two scaling policies as pure decisions: given the metric now and the capacity asked for, the
// capacity to ask for next (or the same). Timing (evaluation period, start-up delay) is the controller's.
//
// Target tracking (docs/reference.md §11.1): the metric is the backlog per consumer, visible messages over
// consumers in service; the capacity it asks for is ceil(capacity x metric / target), the proportional
// step that brings the metric to the target. The high alarm needs scaleOutDatapoints datapoints above
// the target in a row, the low alarm scaleInDatapoints below it. Within ScaleOutCooldown of a scale-out
// the capacity that scale-out added counts as already there: the step is computed from the capacity
// before it, and only a larger one acts (with consumers still starting, the in-service count is below
// the capacity, and a cooldown shorter than the start-up lets the fleet overshoot). A scale-in waits
// ScaleInCooldown after the last scale-in; a scale-out is never held by it.
//
// KEDA (docs/reference.md §11.2): the HPA's recommendation for an AverageValue target is
// ceil(totalLag / lagThreshold), the lag first capped at lagThreshold x partitions unless
// allowIdleConsumers. Inside the HPA's 10% tolerance nothing changes; a scale-in takes the highest
// recommendation of the stabilization window; a scale-out adds at most max(4 pods, 100%) per 15 s
// (the HPA's default scale-up policies), so a poll every 30 s may grow the group by two such steps.
// At or below activationLagThreshold the scaler is inactive: after cooldownPeriod the group goes to
// minReplicaCount 0, and from 0 an active scaler brings it to 1 at once.

import type { KedaAutoscalingSpec, SqsAutoscalingSpec } from "../scenario/autoscaling-schema.ts";

/** The HPA's tolerance: a usage ratio within 10% of 1 changes nothing (docs/reference.md §11.2). */
export const hpaTolerance = 0.1;
/** The HPA's default scale-up limit per period: 4 pods or 100% of the current replicas, the larger. */
export const hpaScaleUpPods = 4;
/** The period of those default scale-up policies, 15 s (Kubernetes pkg/apis/autoscaling/v2/defaults.go, docs/reference.md §11.2). */
export const hpaScaleUpPeriodUs = 15_000_000;

/** The most replicas the HPA's default scale-up policies allow `elapsedUs` after `from`: one step per 15 s period. */
export function hpaScaleUpLimit(from: number, elapsedUs: number): number {
  let limit = from;
  const steps = Math.max(1, Math.floor(elapsedUs / hpaScaleUpPeriodUs));
  for (let step = 0; step < steps; step++) limit = Math.max(limit * 2, limit + hpaScaleUpPods);
  return limit;
}

export interface Recommendation {
  /** The capacity to ask for (the same as now: no change). */
  desired: number;
  /** The metric's own answer was above the maximum. */
  capped: boolean;
}

export class TargetTrackingPolicy {
  private highDatapoints = 0;
  private lowDatapoints = 0;
  private lastScaleOutUs = -Infinity;
  private lastScaleInUs = -Infinity;
  /** The capacity before the last scale-out: the base of any scale-out within its cooldown. */
  private capacityBeforeScaleOut = 0;

  constructor(readonly spec: SqsAutoscalingSpec) {}

  get evaluationPeriodUs(): number {
    return this.spec.metricPeriod;
  }

  /** One datapoint: `backlog` visible messages with `running` consumers in service and `desired` asked for. */
  evaluate(nowUs: number, backlog: number, running: number, desired: number): Recommendation {
    const spec = this.spec;
    const perConsumer = backlog / Math.max(1, running);
    if (perConsumer > spec.targetBacklogPerConsumer) {
      this.highDatapoints++;
      this.lowDatapoints = 0;
    } else if (perConsumer < spec.targetBacklogPerConsumer) {
      this.lowDatapoints++;
      this.highDatapoints = 0;
    } else {
      this.highDatapoints = 0;
      this.lowDatapoints = 0;
    }
    const inCooldown = nowUs - this.lastScaleOutUs < spec.scaleOutCooldown;
    const base = inCooldown ? this.capacityBeforeScaleOut : desired;
    // A tiny epsilon keeps ceil(10 x 1000 / 1000) at 10 where floating point gives 10.000000000000002.
    const wanted = Math.ceil((base * perConsumer) / spec.targetBacklogPerConsumer - 1e-9);
    const bounded = Math.min(spec.maxConsumers, Math.max(spec.minConsumers, wanted));
    const capped = wanted > spec.maxConsumers;
    if (this.highDatapoints >= spec.scaleOutDatapoints && bounded > desired) {
      if (!inCooldown) this.capacityBeforeScaleOut = desired;
      this.lastScaleOutUs = nowUs;
      return { desired: bounded, capped };
    }
    if (this.lowDatapoints >= spec.scaleInDatapoints && bounded < desired && !inCooldown && nowUs - this.lastScaleInUs >= spec.scaleInCooldown) {
      this.lastScaleInUs = nowUs;
      return { desired: bounded, capped };
    }
    return { desired, capped };
  }
}

export class KedaPolicy {
  /** The window's recommendations (time, replicas), oldest first; at most one per evaluation in the window. */
  private readonly recent: Array<{ atUs: number; replicas: number }> = [];
  private lastActiveUs = 0;

  constructor(
    readonly spec: KedaAutoscalingSpec,
    private readonly partitionCount: () => number,
  ) {}

  get evaluationPeriodUs(): number {
    return this.spec.pollingInterval;
  }

  /** One poll of the scaler: the group's total lag (records) with `desired` replicas asked for. */
  evaluate(nowUs: number, totalLag: number, _running: number, desired: number): Recommendation {
    const spec = this.spec;
    const active = totalLag > spec.activationLagThreshold;
    if (active) this.lastActiveUs = nowUs;
    if (!active) {
      // Inactive: to zero after the cooldown (when allowed); at zero it stays there.
      if (spec.minReplicaCount === 0 && desired > 0 && nowUs - this.lastActiveUs >= spec.cooldownPeriod) return { desired: 0, capped: false };
      if (desired === 0) return { desired: 0, capped: false };
    }
    const lag = spec.allowIdleConsumers ? totalLag : Math.min(totalLag, spec.lagThreshold * this.partitionCount());
    const wanted = Math.ceil(lag / spec.lagThreshold);
    const floor = Math.max(1, spec.minReplicaCount);
    let replicas = Math.min(spec.maxReplicaCount, Math.max(floor, wanted));
    const capped = wanted > spec.maxReplicaCount;
    // From zero KEDA itself activates the workload at one replica; the HPA takes over from there.
    if (desired === 0) return { desired: active ? 1 : 0, capped };
    if (Math.abs(lag / (spec.lagThreshold * desired) - 1) <= hpaTolerance) replicas = desired;
    this.remember(nowUs, replicas);
    if (replicas < desired) {
      // Scale-down stabilization: the highest recommendation of the window (this one included).
      const highest = this.recent.reduce((most, entry) => Math.max(most, entry.replicas), 0);
      return { desired: Math.min(desired, highest), capped };
    }
    return { desired: Math.min(replicas, hpaScaleUpLimit(desired, spec.pollingInterval)), capped };
  }

  private remember(nowUs: number, replicas: number): void {
    this.recent.push({ atUs: nowUs, replicas });
    // The recommendation just made always stays (a window of 0 is this one alone).
    while (this.recent.length > 1 && this.recent[0].atUs <= nowUs - this.spec.stabilizationWindow) this.recent.shift();
  }
}

export type ScalingPolicy = TargetTrackingPolicy | KedaPolicy;
