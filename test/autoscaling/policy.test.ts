// The scaling policies as pure decisions (sim/autoscaling/policy.ts), one rule per test: the rules the
// sources give (docs/reference.md §11) and nothing else decides the capacity.

import { describe, expect, it } from "vitest";
import { KedaPolicy, TargetTrackingPolicy } from "../../sim/autoscaling/index.ts";
import { kedaAutoscaling, sqsAutoscaling } from "../../sim/scenario/autoscaling-schema.ts";

const s = 1_000_000;

const targetTracking = (fields: object) => new TargetTrackingPolicy(sqsAutoscaling.parse({ targetBacklogPerConsumer: 100, maxConsumers: 50, ...fields }));
const keda = (fields: object, partitions = 100) => new KedaPolicy(kedaAutoscaling.parse(fields), () => partitions);

describe("target tracking", () => {
  it("takes the documented defaults: 60 s datapoints, 3 out, 15 in, 300 s cooldowns, min 1", () => {
    expect(sqsAutoscaling.parse({ targetBacklogPerConsumer: 1, maxConsumers: 2 })).toMatchObject({ minConsumers: 1, metricPeriod: 60 * s, scaleOutDatapoints: 3, scaleInDatapoints: 15, scaleOutCooldown: 300 * s, scaleInCooldown: 300 * s });
  });

  it("scales out at the third datapoint above the target, to ceil(capacity x metric / target)", () => {
    const policy = targetTracking({});
    expect(policy.evaluate(60 * s, 1050, 2, 2).desired).toBe(2);
    expect(policy.evaluate(120 * s, 1050, 2, 2).desired).toBe(2);
    expect(policy.evaluate(180 * s, 1050, 2, 2).desired).toBe(11);
  });

  it("within the scale-out cooldown counts the capacity it added: a step from the capacity before it, only if larger", () => {
    const policy = targetTracking({ scaleOutDatapoints: 1, scaleOutCooldown: "300s" });
    expect(policy.evaluate(60 * s, 1000, 2, 2).desired).toBe(10);
    // 60 s later the 8 new consumers are still starting: 1,200 visible over 2 in service is 600 each.
    // From the capacity before the scale-out (2): ceil(2 x 600 / 100) = 12 > 10, a larger step: it acts.
    expect(policy.evaluate(120 * s, 1200, 2, 10).desired).toBe(12);
    // Without the cooldown the step is from the current capacity: 12 x 600 / 100 = 72, capped at 50.
    const noCooldown = targetTracking({ scaleOutDatapoints: 1, scaleOutCooldown: "0s" });
    noCooldown.evaluate(60 * s, 1000, 2, 2);
    const next = noCooldown.evaluate(120 * s, 1200, 2, 10);
    expect(next).toEqual({ desired: 50, capped: true });
  });

  it("scales in after 15 datapoints below the target, not within the scale-in cooldown of the last scale-in, never under the minimum", () => {
    const policy = targetTracking({ minConsumers: 3 });
    for (let i = 1; i < 15; i++) expect(policy.evaluate(i * 60 * s, 100, 10, 10).desired).toBe(10);
    expect(policy.evaluate(15 * 60 * s, 100, 10, 10).desired).toBe(3);
    const cooled = targetTracking({ scaleInDatapoints: 1, scaleInCooldown: "300s" });
    expect(cooled.evaluate(60 * s, 500, 10, 10).desired).toBe(5);
    expect(cooled.evaluate(120 * s, 200, 5, 5).desired).toBe(5);
    expect(cooled.evaluate(360 * s, 200, 5, 5).desired).toBe(2);
  });
});

describe("KEDA and the HPA", () => {
  it("takes KEDA's defaults: lagThreshold 10, pollingInterval 30 s, cooldownPeriod 300 s, 0 to 100 replicas, no idle consumers, 300 s stabilization", () => {
    expect(kedaAutoscaling.parse({})).toMatchObject({ lagThreshold: 10, activationLagThreshold: 0, pollingInterval: 30 * s, cooldownPeriod: 300 * s, minReplicaCount: 0, maxReplicaCount: 100, allowIdleConsumers: false, stabilizationWindow: 300 * s });
  });

  it("asks for ceil(lag / lagThreshold), capped at the partitions unless idle consumers are allowed", () => {
    expect(keda({ lagThreshold: 100 }, 4).evaluate(30 * s, 1000, 2, 2).desired).toBe(4);
    // The HPA adds at most max(4 pods, 100%) per 15 s, two steps per 30 s poll: from 1, 1 -> 5 -> 10;
    // from 2 to the 10 asked for at once; with a 15 s poll one step, 2 -> 6 then 6 -> 10.
    expect(keda({ lagThreshold: 100, allowIdleConsumers: true }, 4).evaluate(30 * s, 2000, 1, 1).desired).toBe(10);
    expect(keda({ lagThreshold: 100, allowIdleConsumers: true }, 4).evaluate(30 * s, 3000, 1, 1).desired).toBe(10);
    expect(keda({ lagThreshold: 100, allowIdleConsumers: true }, 4).evaluate(30 * s, 1000, 2, 2).desired).toBe(10);
    const policy = keda({ lagThreshold: 100, allowIdleConsumers: true, pollingInterval: "15s" }, 4);
    expect(policy.evaluate(15 * s, 1000, 2, 2).desired).toBe(6);
    expect(policy.evaluate(30 * s, 1000, 6, 6).desired).toBe(10);
  });

  it("changes nothing within the HPA's 10% tolerance", () => {
    expect(keda({ lagThreshold: 100 }).evaluate(30 * s, 1090, 10, 10).desired).toBe(10);
    expect(keda({ lagThreshold: 100 }).evaluate(30 * s, 1120, 10, 10).desired).toBe(12);
  });

  it("scales in to the highest recommendation of the stabilization window", () => {
    const policy = keda({ lagThreshold: 100, stabilizationWindow: "90s" });
    expect(policy.evaluate(30 * s, 800, 8, 8).desired).toBe(8);
    expect(policy.evaluate(60 * s, 300, 8, 8).desired).toBe(8);
    expect(policy.evaluate(90 * s, 200, 8, 8).desired).toBe(8);
    // The 8 of 30 s has left the 90 s window: the highest left is 3.
    expect(policy.evaluate(120 * s, 200, 8, 8).desired).toBe(3);
  });

  it("goes to zero only after cooldownPeriod inactive, and from zero to one when the lag is back", () => {
    const policy = keda({ lagThreshold: 100, cooldownPeriod: "60s", stabilizationWindow: "0s" });
    expect(policy.evaluate(30 * s, 500, 5, 5).desired).toBe(5);
    expect(policy.evaluate(60 * s, 0, 5, 5).desired).toBe(1);
    expect(policy.evaluate(90 * s, 0, 1, 1).desired).toBe(0);
    expect(policy.evaluate(120 * s, 0, 0, 0).desired).toBe(0);
    expect(policy.evaluate(150 * s, 50, 0, 0).desired).toBe(1);
  });
});
