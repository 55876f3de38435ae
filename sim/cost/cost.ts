// The cost model's entry point: a system's configuration and simulated result, the run's billing
// window and the region's prices (with the scenario's overrides) -> monthly line items and totals.

import type { SystemResult } from "../metrics/index.ts";
import { faultAction, type Scenario, type System } from "../scenario/index.ts";
import { firehoseLineItems } from "./firehose.ts";
import { kafkaLineItems } from "./kafka.ts";
import { kinesisLineItems } from "./kinesis.ts";
import { assumptions } from "./messages.ts";
import { PriceBook } from "./price-book.ts";
import { sqsLineItems } from "./sqs.ts";
import type { BillingWindow, LineItem, SystemCost } from "./types.ts";
import { billingWindow } from "./window.ts";

/** The monthly cost of every simulated system of a run, in the order of `results`. */
export function scenarioCosts(scenario: Scenario, results: readonly SystemResult[]): SystemCost[] {
  const prices = new PriceBook(scenario.region, scenario.pricing);
  const window = billingWindow(scenario.warmupUs, scenario.durationUs);
  return results.map((result) => {
    const system = scenario.systems.find((candidate) => candidate.name === result.name);
    if (system === undefined) throw new Error(`no system "${result.name}" in scenario ${scenario.name}`);
    const cost = systemCost(system, result, window, prices);
    // Faults within the billed window are projected with it: the month repeats them.
    const faults = [...new Set(scenario.timeline.filter((action) => action.system === system.name && faultAction[action.action] && action.at >= scenario.warmupUs).map((action) => action.action))];
    if (faults.length > 0) cost.assumptions.splice(1, 0, assumptions.faultsProjected(faults, window.hours));
    return cost;
  });
}

export function systemCost(system: System, result: SystemResult, window: BillingWindow, prices: PriceBook): SystemCost {
  const priced = pricedItems(system, result, window, prices);
  const lineItems = priced.lineItems;
  const names = [...new Set(lineItems.map((line) => line.price))];
  const estimated = names.filter((name) => prices.price(name).estimated);
  const overridden = names.filter((name) => prices.isOverridden(name));
  const notes = [assumptions.projection(window.hours), ...priced.assumptions];
  if (estimated.length > 0) notes.push(assumptions.estimated(estimated));
  if (overridden.length > 0) notes.push(assumptions.overridden(overridden));
  notes.push(assumptions.leftOut);
  return {
    system: system.name,
    monthlyUsd: lineItems.reduce((sum, line) => sum + line.monthlyUsd, 0),
    lineItems,
    assumptions: notes,
  };
}

function pricedItems(system: System, result: SystemResult, window: BillingWindow, prices: PriceBook): { lineItems: LineItem[]; assumptions: string[] } {
  if (system.kind === "kinesis" && result.kind === "kinesis") return kinesisLineItems(system, result, window, prices);
  if (system.kind === "kafka" && result.kind === "kafka") return kafkaLineItems(system, result, window, prices);
  if (system.kind === "sqs" && result.kind === "sqs") return sqsLineItems(system, result, window, prices);
  if (system.kind === "firehose" && result.kind === "firehose") return firehoseLineItems(system, result, window, prices);
  throw new Error(`system ${system.name} is ${system.kind}, its result ${result.kind}`);
}
