// A monthly figure projects the simulated window; when the window holds a fault from the timeline
// (kafka-broker-failure's broker-down), the month repeats it every window, and the cost says so (an audit
// read "$79/month" for a run whose window held a 2-minute incident, with no caveat).

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadExample } from "../support/scenarios.ts";

describe("faults in the projected window", () => {
  it("each system the timeline's faults hit says the projection repeats them", () => {
    const result = runScenario(loadExample("kafka-broker-failure.yaml", { durationUs: 4 * 60_000_000 }));
    for (const cost of result.costs) {
      expect(cost.assumptions.some((text) => text.startsWith("The run's broker-down fell in the simulated window, so the projection repeats it every"))).toBe(true);
    }
  }, 60_000);

  it("a run without faults has no such words", () => {
    const result = runScenario(loadExample("kafka-zipf.yaml", { durationUs: 60_000_000 }));
    for (const cost of result.costs) expect(cost.assumptions.join(" ")).not.toContain("fell in the simulated window");
  }, 60_000);
});
