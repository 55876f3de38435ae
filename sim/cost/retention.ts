// Costs at equal retention: every system of a run priced again at each retention another system of the
// run keeps, so a comparison of a 24-hour Kinesis stream with a 7-day Kafka topic also says what each
// costs at the other's retention (docs/cost.md, "At equal retention"). Only the price changes: the
// simulated traffic is the same, and storage and retention lines follow the retention's length.
//
// A Firehose stream keeps no log of its own: it delivers what it buffers to S3, and how long the S3
// objects are kept is the landed data's life, not a stream's retention. It is priced as configured in
// every row, as are the objects a Firehose consumer of a Kinesis stream lands, and sets no row itself.

import type { SystemResult } from "../metrics/index.ts";
import type { Scenario, System } from "../scenario/index.ts";
import { systemCost } from "./cost.ts";
import { PriceBook } from "./price-book.ts";
import { billingWindow, hourUs } from "./window.ts";

export interface RetentionCost {
  /** The retention every system is priced at; null when no system of the run keeps a log (Firehose streams alone): each as configured. */
  retentionUs: number | null;
  systems: Array<{
    system: string;
    monthlyUsd: number;
    /** The retention the system is priced at: retentionUs, or the nearest one the service allows; null for a system that keeps no log (Firehose). */
    pricedRetentionUs: number | null;
  }>;
}

type SystemOf<K extends System["kind"]> = Extract<System, { kind: K }>;

interface RetentionSetting<K extends System["kind"]> {
  /** The shortest and longest retention the service allows (a system is priced at the nearest of them). */
  minUs: number;
  maxUs: number;
  /** The retention that prices the system; null for one that keeps no log whose retention prices it. */
  of(system: SystemOf<K>): number | null;
  with(system: SystemOf<K>, retentionUs: number): SystemOf<K>;
}

/** Where each kind keeps its retention, and its bounds: a new kind is a type error here until it says. */
const retentionSettings: { readonly [K in System["kind"]]: RetentionSetting<K> } = {
  // 24 h to 8,760 h (docs/reference.md §1.5).
  kinesis: { minUs: 24 * hourUs, maxUs: 8760 * hourUs, of: (system) => system.retention, with: (system, retention) => ({ ...system, retention }) },
  // log.retention.ms has no upper bound that matters here (docs/reference.md §3.3).
  kafka: {
    minUs: 1,
    maxUs: Number.MAX_SAFE_INTEGER,
    of: (system) => system.topic.retention,
    with: (system, retention) => ({ ...system, topic: { ...system.topic, retention } }),
  },
  // 60 s to 14 days (docs/reference.md §4); SQS bills requests, not storage, so retention moves no price.
  sqs: {
    minUs: 60_000_000,
    maxUs: 14 * 24 * hourUs,
    of: (system) => system.queue.retention,
    with: (system, retention) => ({ ...system, queue: { ...system.queue, retention } }),
  },
  // Firehose keeps no log: its S3 objects' retention is the landed data's, priced as configured in every row.
  firehose: { minUs: 0, maxUs: 0, of: () => null, with: (system) => system },
};

function setting<K extends System["kind"]>(kind: K): RetentionSetting<K> {
  return retentionSettings[kind];
}

/** A system's retention, whatever its kind; null for one that keeps no log (Firehose). */
export function retentionOf(system: System): number | null {
  return setting(system.kind).of(system as never);
}

/** The system as it would be with `retentionUs`, or the nearest retention its service allows. */
export function withRetention(system: System, retentionUs: number): System {
  const bounds = setting(system.kind);
  if (retentionOf(system) === null) return system;
  const allowedUs = Math.min(bounds.maxUs, Math.max(bounds.minUs, retentionUs));
  return bounds.with(system as never, allowedUs);
}

/**
 * Each distinct retention of the run's systems, shortest first, with every system's monthly cost at it
 * (one entry, each system as configured, when none keeps a log). Empty for a run of fewer than two
 * systems: there is nothing to compare.
 */
export function costsAtRetentions(scenario: Scenario, results: readonly SystemResult[]): RetentionCost[] {
  if (results.length < 2) return [];
  const prices = new PriceBook(scenario.region, scenario.pricing);
  const window = billingWindow(scenario.warmupUs, scenario.durationUs);
  const systems = results.map((result) => {
    const system = scenario.systems.find((candidate) => candidate.name === result.name);
    if (system === undefined) throw new Error(`no system "${result.name}" in scenario ${scenario.name}`);
    return { system, result };
  });
  const retentions = [...new Set(systems.map(({ system }) => retentionOf(system)).filter((retentionUs) => retentionUs !== null))].sort((a, b) => a - b);
  return (retentions.length === 0 ? [null] : retentions).map((retentionUs) => ({
    retentionUs,
    systems: systems.map(({ system, result }) => {
      const priced = retentionUs === null ? system : withRetention(system, retentionUs);
      return { system: system.name, monthlyUsd: systemCost(priced, result, window, prices).monthlyUsd, pricedRetentionUs: retentionOf(priced) };
    }),
  }));
}
