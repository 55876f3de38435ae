// The load the lab sets against the limits: a rate and record sizes given on the command line, or,
// for a trace, taken from the trace itself (its sizes, and its own rate over its time span) unless
// given. Each figure says where it came from, so the report can say so.

import type { Rate } from "../units/index.ts";
import type { KeySet } from "./input.ts";
import type { Load } from "./spread.ts";

/** Data bytes per record when neither --record-size nor a trace's sizes give them. */
export const RECORD_SIZE_DEFAULT_BYTES = 1024;

export interface GivenLoad {
  /** --rate: records/s, or bytes/s divided by the record size. */
  readonly rate?: Rate;
  readonly recordsPerSecond?: number;
  /** --record-size: every record this many data bytes (overrides a trace's sizes). */
  readonly recordSizeBytes?: number;
}

/** The lab's load, or null when no rate is given and the keys carry none (not a trace with timestamps). */
export function labLoad(keySet: KeySet, given: GivenLoad): Load | null {
  const trace = keySet.trace;
  const traceSizes = given.recordSizeBytes === undefined && trace?.bytesByKey != null ? trace.bytesByKey : null;
  const meanSizeBytes = traceSizes !== null ? sumOf(traceSizes) / trace!.records : (given.recordSizeBytes ?? RECORD_SIZE_DEFAULT_BYTES);
  const sizeFrom: Load["sizeFrom"] = traceSizes !== null ? "trace" : given.recordSizeBytes !== undefined ? "flag" : "default";
  const rate = rateOf(given, meanSizeBytes, trace);
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
  };
}

function rateOf(given: GivenLoad, meanSizeBytes: number, trace: KeySet["trace"]): { recordsPerSecond: number; from: Load["rateFrom"] } | null {
  if (given.recordsPerSecond !== undefined) return { recordsPerSecond: given.recordsPerSecond, from: "flag" };
  if (given.rate !== undefined) {
    const recordsPerSecond = given.rate.kind === "records" ? given.rate.recordsPerSecond : given.rate.bytesPerSecond / meanSizeBytes;
    return { recordsPerSecond, from: "flag" };
  }
  // A looped replay's pass lasts the span plus one mean gap, so its rate is (records - 1) / span:
  // the trace's own mean rate (docs/scenarios.md#traces).
  if (trace === undefined || trace.spanUs === null || trace.spanUs <= 0 || trace.records < 2) return null;
  return { recordsPerSecond: ((trace.records - 1) * 1e6) / trace.spanUs, from: "trace" };
}

function sumOf(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
