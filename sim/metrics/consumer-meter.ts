// What every consumer of every system measures, one way (docs/design.md "Results"): records processed and
// processed again, end-to-end latency, lag sampled once per simulated second, and the system's own
// lag metric beside it. Models feed it as things happen; result() reads it and changes nothing, so
// collecting twice gives the same result.
//
// When lag is sampled. A consumer that polls every T holds a sawtooth lag: the oldest unprocessed
// record ages from ~0 right after a poll's batch is processed to ~T just before the next one. Sampled
// at whole seconds, a consumer polling on whole seconds is seen at the same point of its tooth every
// time (a 1 s poller looked like ~T all run long, a 5 s one like 1..5 s), whatever the system. So the
// sample of second k is taken at k s + frac(k / phi) s (phi the golden ratio): one sample in every
// second, at instants that spread evenly over any poll period (an equidistributed sequence), the same
// instants for every consumer of every system and every seed. The p50 of the samples is then the
// time-weighted median of the lag, T/2 for a sawtooth of period T.

import type { Simulation } from "../engine/index.ts";
import { LogHistogram } from "./histogram.ts";
import type { SeriesOptions } from "./intervals.ts";
import { GaugeSeries } from "./series.ts";
import type { ConsumerResult } from "./system-result.ts";
import { LagSamples } from "./trend.ts";

const secondUs = 1_000_000;
/** 1 / golden ratio: the step of the sampling phase from one second to the next. */
const phaseStep = (Math.sqrt(5) - 1) / 2;

/** When the lag sample of simulated second `second` is taken (microseconds). */
export function lagSampleTimeUs(second: number): number {
  const phase = (second * phaseStep) % 1;
  return second * secondUs + Math.floor(phase * secondUs);
}

/**
 * Calls `sample` once in every simulated second that starts before endUs, at lagSampleTimeUs(second),
 * while that instant is at or before endUs. One event at a time is pending.
 */
export function scheduleLagSamples(sim: Simulation, endUs: number, sample: () => void): void {
  let second = Math.floor(sim.nowUs / secondUs);
  if (lagSampleTimeUs(second) < sim.nowUs) second++;
  const tick = (): void => {
    sample();
    second++;
    const nextUs = lagSampleTimeUs(second);
    if (nextUs <= endUs) sim.at(nextUs, tick);
  };
  const firstUs = lagSampleTimeUs(second);
  if (firstUs <= endUs) sim.at(firstUs, tick);
}

export interface ConsumerMeterOptions {
  name: string;
  /** polling, enhanced-fan-out, consumer-group, sqs-fleet (N consumers). */
  type: string;
  seriesOptions: SeriesOptions;
  warmupUs: number;
  /** The system's own lag metric: ms metrics are fed in microseconds, record counts as counts. */
  native: { name: ConsumerResult["native"]["name"]; unit: "ms" | "records"; pushed?: boolean };
}

/** The terms of a consumer's accounting its model knows at the end (docs/design.md "Accounting must close"). */
export interface ConsumerEndTerms {
  unread: number;
  inFlight: number;
  expired: number;
  deadLettered: number;
  lost: number;
}

export class ConsumerMeter {
  private consumedCount = 0;
  private consumedAfterWarmupCount = 0;
  private duplicateCount = 0;
  private readThrottleCount = 0;
  private readCallCount = 0;
  private readonly lag = new LogHistogram();
  private readonly lagSeries: GaugeSeries;
  private readonly lagSamples: LagSamples;
  private readonly endToEndLatency = new LogHistogram();
  private readonly nativeHistogram = new LogHistogram();
  private readonly nativeSeries: GaugeSeries;

  constructor(private readonly options: ConsumerMeterOptions) {
    this.lagSeries = new GaugeSeries(options.seriesOptions);
    this.nativeSeries = new GaugeSeries(options.seriesOptions);
    const seconds = Math.ceil((options.seriesOptions.endUs - options.warmupUs) / secondUs) + 1;
    this.lagSamples = new LagSamples(seconds);
  }

  get name(): string {
    return this.options.name;
  }

  /** Records processed for the first time. */
  get consumed(): number {
    return this.consumedCount;
  }

  /** Records processed for the first time from the end of warm-up on (what per-record billing counts). */
  get consumedAfterWarmup(): number {
    return this.consumedAfterWarmupCount;
  }

  /** Records processed again (redelivered, reprocessed after a restart, or extra copies). */
  get duplicates(): number {
    return this.duplicateCount;
  }

  get readThrottles(): number {
    return this.readThrottleCount;
  }

  /** Whether per-record statistics (latencies) count at nowUs: from the end of warm-up on. */
  afterWarmup(nowUs: number): boolean {
    return nowUs >= this.options.warmupUs;
  }

  /** A batch processed at nowUs: `firstTime` records for the first time, `repeated` again. */
  processed(nowUs: number, firstTime: number, repeated: number): void {
    this.consumedCount += firstTime;
    if (this.afterWarmup(nowUs)) this.consumedAfterWarmupCount += firstTime;
    this.duplicateCount += repeated;
  }

  readThrottled(): void {
    this.readThrottleCount++;
  }

  /** A GetRecords call (a Kinesis polling reader's), throttled or not. */
  readCalled(): void {
    this.readCallCount++;
  }

  /** `count` records finished processing `latencyUs` after their creation (callers feed after warm-up only). */
  endToEnd(latencyUs: number, count: number): void {
    this.endToEndLatency.add(latencyUs, count);
  }

  /** The per-second lag sample: age of the oldest accepted record not yet processed (0 when none). */
  sampleLag(nowUs: number, lagUs: number): void {
    this.lagSeries.set(nowUs, lagUs / 1000);
    if (!this.afterWarmup(nowUs)) return;
    this.lag.add(lagUs);
    this.lagSamples.add(nowUs, lagUs);
  }

  /** The per-second sample of the system's own metric (microseconds for ms metrics, else records). */
  sampleNative(nowUs: number, value: number): void {
    this.nativeSeries.set(nowUs, this.options.native.unit === "ms" ? value / 1000 : value);
    if (this.afterWarmup(nowUs)) this.nativeHistogram.add(value);
  }

  /**
   * The consumer's result. Reads only: the series are carried to the end of the run (an idempotent
   * step), so calling it again gives the same result.
   */
  result(terms: ConsumerEndTerms, extra: Pick<ConsumerResult, "nativePerPartition"> & Partial<Pick<ConsumerResult, "queueWait" | "lambda" | "flink" | "offsetLag">>): ConsumerResult {
    const endUs = this.options.seriesOptions.endUs;
    this.lagSeries.finish(endUs);
    this.nativeSeries.finish(endUs);
    for (const { series } of extra.nativePerPartition) series.finish(endUs);
    return {
      name: this.options.name,
      type: this.options.type,
      records: {
        consumed: this.consumedCount,
        unread: terms.unread,
        inFlight: terms.inFlight,
        expired: terms.expired,
        deadLettered: terms.deadLettered,
        lost: terms.lost,
        duplicates: this.duplicateCount,
      },
      lag: this.lag,
      lagSeries: this.lagSeries,
      lagSamples: this.lagSamples,
      endToEndLatency: this.endToEndLatency,
      readThrottles: this.readThrottleCount,
      readCalls: this.readCallCount,
      native: { name: this.options.native.name, unit: this.options.native.unit, pushed: this.options.native.pushed === true, histogram: this.nativeHistogram, series: this.nativeSeries },
      ...extra,
    };
  }
}
