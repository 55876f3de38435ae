// Turns the schema's typed output into the Scenario the simulator runs: rate profiles as phases,
// record-size caps resolved, key files loaded.

import { formatBytes } from "../units/index.ts";
import { brokerCapacity, type BrokerCapacity } from "./instance-catalogue.ts";
import { sizeSampler } from "../workload/sizes.ts";
import { historyPhases, type LoadedHistory } from "./history.ts";
import { maxKeyBytes } from "./key-bytes.ts";
import { topicReplication } from "./topic-defaults.ts";
import { recordSizeLimit, type KafkaSystemInput, type SystemInput } from "./systems-schema.ts";
import type { ScenarioInput } from "./schema.ts";
import { narrowTimeline } from "./timeline.ts";
import type { RateInput, RecordSizeInput } from "./workload-schema.ts";
import type { KafkaSystem, KeysSpec, ProducerSpec, TraceSpec, RatePhase, RateProfile, RecordSizeSpec, Scenario, System } from "./types.ts";

/** The record cap when a scenario has no systems: 1 MiB, the default record limit of all three services (docs/reference.md §1.2, §3.2, §4). */
export const recordCapWithoutSystemsBytes = 1024 * 1024;

export function normalizeScenario(
  input: ScenarioInput,
  keysOf: (producerIndex: number) => KeysSpec,
  source: { file: string; sha256: string },
  adjustments: string[],
  traceOf: (producerIndex: number) => TraceSpec | undefined = () => undefined,
  historyOf: (producerIndex: number) => LoadedHistory | undefined = () => undefined,
): Omit<Scenario, "sweep"> {
  const start = input.start ?? defaultStart;
  const producers: ProducerSpec[] = input.workload.map((producer, index) => {
    if ("trace" in producer) return traceProducer(producer.producer, traceOf(index)!, keysOf(index), input);
    const recordSize = recordSizeSpec(producer.recordSize, input.systems, maxKeyBytes(keysOf(index)));
    const history = historyOf(index);
    const rate = rateProfile(producer.rate, input.duration, Date.parse(start));
    // A rate history replaces the phases; a byte history becomes records through the mean record size.
    if (history !== undefined) rate.phases = historyPhases(history, input.duration, Date.parse(start), sizeSampler(recordSize).meanBytes);
    return { name: producer.producer, rate, recordSize, keys: keysOf(index) };
  });
  return {
    name: input.name,
    description: input.description ?? null,
    seed: input.seed,
    durationUs: input.duration,
    warmupUs: input.warmup,
    startEpochMs: Date.parse(start),
    start: input.start ?? null,
    reportIntervalUs: input.report.interval,
    producers,
    systems: input.systems.map(normalizeSystem),
    timeline: narrowTimeline([...input.timeline].sort((a, b) => a.at - b.at), input.systems),
    region: input.region,
    pricing: { ...input.pricing },
    source,
    adjustments,
  };
}

/**
 * A trace producer: sizes come from the trace, capped at the smallest record limit of the systems (rows
 * above it are clipped and counted); the rate is the replay's mean over the run, for projections.
 */
function traceProducer(name: string, trace: TraceSpec, keys: KeysSpec, input: ScenarioInput): ProducerSpec {
  const { limitBytes, limitSource } = systemsRecordLimit(input.systems, maxKeyBytes(keys));
  const passes = trace.loop ? (input.duration * trace.speed) / trace.periodUs : 1;
  const perSecond = (trace.records * trace.scale * passes) / (input.duration / 1e6);
  return {
    name,
    rate: { arrivals: "uniform", phases: [{ startUs: 0, endUs: input.duration, fromPerSecond: perSecond, toPerSecond: perSecond }], dailyCycle: null },
    recordSize: { distribution: "trace", capBytes: limitBytes, capSource: limitSource },
    keys,
    trace,
  };
}

/** The calendar time of simulated time 0 when a scenario sets no `start:` (daily keys and cycles need one). */
export const defaultStart = "2026-01-01T00:00:00Z";

/** A system ready for its model: Kafka brokers get their resolved capacity, the topic its replication settings. */
function normalizeSystem(system: SystemInput): System {
  return system.kind === "kafka" ? resolveBrokers(system) : system;
}

/** The instance catalogue's capacities for the brokers' instance type, each replaced by the scenario's override if given. */
function resolveBrokers(system: KafkaSystemInput): KafkaSystem {
  const catalogue = brokerCapacity(system.brokers.instanceType);
  const override = system.brokers.capacity;
  const resolved: BrokerCapacity = {
    networkInBytesPerSecond: override?.networkIn ?? catalogue.networkInBytesPerSecond,
    networkOutBytesPerSecond: override?.networkOut ?? catalogue.networkOutBytesPerSecond,
    diskWriteBytesPerSecond: override?.diskWrite ?? catalogue.diskWriteBytesPerSecond,
    requestHandlingUs: override?.requestTime ?? catalogue.requestHandlingUs,
  };
  return { ...system, brokers: { ...system.brokers, resolved }, topic: { ...system.topic, ...topicReplication(system) } };
}

const dayUs = 86_400_000_000;

/** The rate profile of a producer; `startEpochMs` places the daily cycle's peak (a time of day, UTC) on the run's clock. */
export function rateProfile(rate: RateInput, durationUs: number, startEpochMs: number): RateProfile {
  const startTimeOfDayUs = (startEpochMs % 86_400_000) * 1000;
  const dailyCycle =
    rate.dailyCycle === undefined
      ? null
      : { amplitude: rate.dailyCycle.amplitude, peakAtUs: (((rate.dailyCycle.peakAt - startTimeOfDayUs) % dayUs) + dayUs) % dayUs };
  if (rate.phases === undefined) {
    // A history's phases are put in by normalizeScenario; this placeholder is replaced there.
    const perSecond = rate.recordsPerSecond ?? 0;
    return { arrivals: rate.arrivals, phases: [{ startUs: 0, endUs: durationUs, fromPerSecond: perSecond, toPerSecond: perSecond }], dailyCycle };
  }
  const phases: RatePhase[] = [];
  let startUs = 0;
  for (const phase of rate.phases) {
    if (startUs >= durationUs) break;
    const endUs = Math.min(durationUs, startUs + phase.duration);
    const toFull = phase.rampTo ?? phase.recordsPerSecond;
    // A phase cut by the end of the run keeps its slope: the rate at the cut is interpolated.
    const toPerSecond = phase.recordsPerSecond + ((toFull - phase.recordsPerSecond) * (endUs - startUs)) / phase.duration;
    phases.push({ startUs, endUs, fromPerSecond: phase.recordsPerSecond, toPerSecond });
    startUs = endUs;
  }
  if (startUs < durationUs) {
    const last = phases[phases.length - 1].toPerSecond;
    phases.push({ startUs, endUs: durationUs, fromPerSecond: last, toPerSecond: last });
  }
  return { arrivals: rate.arrivals, phases, dailyCycle };
}

function recordSizeSpec(size: RecordSizeInput, systems: SystemInput[], keyBytes: number): RecordSizeSpec {
  const { limitBytes, limitSource } = systemsRecordLimit(systems, keyBytes);
  switch (size.distribution) {
    case "fixed":
      return { ...size, capBytes: size.size, capSource: "the fixed size" };
    case "uniform":
      return { ...size, capBytes: size.max, capSource: "the distribution's max" };
    case "weighted":
      return { ...size, capBytes: Math.max(...size.sizes.map((entry) => entry.size)), capSource: "the largest listed size" };
    case "lognormal":
      return size.max !== undefined
        ? { ...size, capBytes: size.max, capSource: `max: ${formatBytes(size.max)}` }
        : { ...size, capBytes: limitBytes, capSource: limitSource };
  }
}

/** The smallest record size limit among the systems (with the longest key where it counts), and where it comes from. */
function systemsRecordLimit(systems: SystemInput[], keyBytes: number): { limitBytes: number; limitSource: string } {
  const limits = systems.map((system) => ({ ...recordSizeLimit(system, keyBytes), system: system.name }));
  const smallest = limits.reduce<(typeof limits)[number] | undefined>((min, limit) => (min === undefined || limit.limitBytes < min.limitBytes ? limit : min), undefined);
  const limitBytes = smallest?.limitBytes ?? recordCapWithoutSystemsBytes;
  const limitSource =
    smallest === undefined
      ? `${formatBytes(limitBytes)}, the services' default record limit (the scenario has no systems)`
      : `${formatBytes(limitBytes)}, the record size limit of system "${smallest.system}" (${smallest.field})`;
  return { limitBytes, limitSource };
}
