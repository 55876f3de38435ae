// The load the lab sets against the limits: a rate and record sizes given on the command line, or,
// for a trace, taken from the trace itself (its sizes, and its own rate over its time span) unless
// given. Each figure says where it came from, so the report can say so. A trace with timestamps also
// gives its busiest whole second: when that second is a burst beyond chance, the trace's own rate is
// the busiest second's (a Kinesis shard's limit is per second), not the average.

import type { Rate } from "../units/index.ts";
import type { KeySet } from "./input.ts";
import type { Load, TracePeak } from "./spread.ts";

/** Data bytes per record when neither --record-size nor a trace's sizes give them. */
export const RECORD_SIZE_DEFAULT_BYTES = 1024;

export interface GivenLoad {
  /** --rate: records/s, or bytes/s divided by the record size. */
  readonly rate?: Rate;
  readonly recordsPerSecond?: number;
  /** --record-size: every record this many data bytes (overrides a trace's sizes). */
  readonly recordSizeBytes?: number;
}

/** A busiest second at least this many times the trace's average ... */
export const BURST_TIMES_AVERAGE_MIN = 1.25;
/**
 * ... and beyond chance: more records than mean + 5 sqrt(mean) + 5. Poisson arrivals at the mean pass
 * that in one second with probability under 1e-6 at any mean (1e-8 at a mean of 1, where the + 5
 * matters), so even a trace of many hours shows no such second by chance; fluctuation within chance is
 * what the advice's 80% headroom is for.
 */
export function beyondChance(records: number, meanRecords: number): boolean {
  return records > meanRecords + 5 * Math.sqrt(meanRecords) + 5;
}

/** The lab's load, or null when no rate is given and the keys carry none (not a trace with timestamps). */
export function labLoad(keySet: KeySet, given: GivenLoad): Load | null {
  const trace = keySet.trace;
  const traceSizes = given.recordSizeBytes === undefined && trace?.bytesByKey != null ? trace.bytesByKey : null;
  const meanSizeBytes = traceSizes !== null ? sumOf(traceSizes) / trace!.records : (given.recordSizeBytes ?? RECORD_SIZE_DEFAULT_BYTES);
  const sizeFrom: Load["sizeFrom"] = traceSizes !== null ? "trace" : given.recordSizeBytes !== undefined ? "flag" : "default";
  const peak = trace === undefined ? null : tracePeak(trace);
  const rate = rateOf(given, meanSizeBytes, trace, peak);
  if (rate === null) return null;
  const recordSizeBytes = Math.round(meanSizeBytes);
  if (trace === undefined) return { recordsPerSecond: rate.recordsPerSecond, recordSizeBytes };
  return {
    recordsPerSecond: rate.recordsPerSecond,
    recordSizeBytes,
    // A trace knows each key's records (whatever weighs the traffic) and, with sizes, each key's bytes.
    recordsByKey: trace.recordsByKey,
    dataBytesByKey: traceSizes ?? undefined,
    sizeFrom,
    rateFrom: rate.from,
    ...(peak === null ? {} : { peak }),
  };
}

/** A trace time (µs since the epoch) as ISO 8601 UTC, without zero milliseconds: "2026-11-20T18:01:02Z". */
export function isoTime(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString().replace(".000Z", "Z");
}

/** The trace's busiest second against its own average rate; null without timestamps over a span. */
export function tracePeak(trace: NonNullable<KeySet["trace"]>): TracePeak | null {
  const averageRecordsPerSecond = traceAverageRate(trace);
  if (averageRecordsPerSecond === null || trace.busiestByRecords === null) return null;
  let by: TracePeak["by"] = "records";
  let startUs = trace.busiestByRecords.startUs;
  let recordsPerSecond = trace.busiestByRecords.records;
  // Bytes as records at the trace's mean size: a second of large records asks for more than its count says.
  const meanDataBytes = trace.bytesByKey === null ? 0 : sumOf(trace.bytesByKey) / trace.records;
  if (trace.busiestByBytes !== null && meanDataBytes > 0 && trace.busiestByBytes.bytes / meanDataBytes > recordsPerSecond) {
    by = "bytes";
    startUs = trace.busiestByBytes.startUs;
    recordsPerSecond = trace.busiestByBytes.bytes / meanDataBytes;
  }
  const timesAverage = recordsPerSecond / averageRecordsPerSecond;
  const burst = timesAverage >= BURST_TIMES_AVERAGE_MIN && beyondChance(recordsPerSecond, averageRecordsPerSecond);
  return { startUs, recordsPerSecond, averageRecordsPerSecond, timesAverage, by, burst };
}

/**
 * A looped replay's pass lasts the span plus one mean gap, so its rate is (records - 1) / span: the
 * trace's own mean rate (docs/scenarios.md#traces).
 */
function traceAverageRate(trace: NonNullable<KeySet["trace"]>): number | null {
  if (trace.spanUs === null || trace.spanUs <= 0 || trace.records < 2) return null;
  return ((trace.records - 1) * 1e6) / trace.spanUs;
}

function rateOf(given: GivenLoad, meanSizeBytes: number, trace: KeySet["trace"], peak: TracePeak | null): { recordsPerSecond: number; from: Load["rateFrom"] } | null {
  if (given.recordsPerSecond !== undefined) return { recordsPerSecond: given.recordsPerSecond, from: "flag" };
  if (given.rate !== undefined) {
    const recordsPerSecond = given.rate.kind === "records" ? given.rate.recordsPerSecond : given.rate.bytesPerSecond / meanSizeBytes;
    return { recordsPerSecond, from: "flag" };
  }
  if (peak?.burst === true) return { recordsPerSecond: peak.recordsPerSecond, from: "trace-peak" };
  const average = trace === undefined ? null : traceAverageRate(trace);
  return average === null ? null : { recordsPerSecond: average, from: "trace" };
}

function sumOf(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
