// The configuration table's bound on a Lambda consumer's parallel work: the mapping's concurrent
// batches, or the function's reserved concurrency where that is lower (the rest are throttled).

import { describe, expect, it } from "vitest";
import { lambdaConcurrencyBound } from "../../sim/lambda/index.ts";
import { lambdaSqsConfiguration } from "../../sim/sqs/lambda-configuration.ts";
import type { LambdaSqsConsumerSpec } from "../../sim/scenario/lambda-sqs-schema.ts";
import { loadExample } from "../support/scenarios.ts";

describe("lambdaConcurrencyBound", () => {
  it("is the mapping's batches unless reserved concurrency is lower", () => {
    expect(lambdaConcurrencyBound(40, "concurrent batches (shards x parallelization factor)", undefined)).toEqual({ instances: 40, instancesOf: "concurrent batches (shards x parallelization factor)" });
    expect(lambdaConcurrencyBound(40, "concurrent batches (shards x parallelization factor)", 40).instances).toBe(40);
    const bound = lambdaConcurrencyBound(1250, "concurrent batches at most (the mapping's ceiling)", 3);
    expect(bound.instances).toBe(3);
    expect(bound.instancesOf).toContain("reservedConcurrency");
    expect(bound.instancesOf).toContain("1,250 batches");
  });

  it("lambda-sqs-scaling: reserved concurrency 3 bounds reserved-only at 3, as maximumConcurrency 3 bounds reserved-and-max", () => {
    const scenario = loadExample("lambda-sqs-scaling.yaml");
    const configuration = (name: string) => {
      const system = scenario.systems.find((entry) => entry.name === name)!;
      return lambdaSqsConfiguration((system as { consumers: LambdaSqsConsumerSpec[] }).consumers[0]!, false);
    };
    expect(configuration("ramp").instances).toBe(1250);
    expect(configuration("reserved-only").instances).toBe(3);
    expect(configuration("reserved-and-max").instances).toBe(3);
  });
});
