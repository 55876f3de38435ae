// One key per UTC calendar day of a record's event time ("2026-02-28"), the way date-partitioned
// pipelines key their records. The key follows the clock, not a random draw: producers call
// keyForTime(timeUs) instead of sample().
//
// Index d is the d-th UTC day from the start: day 0 is the UTC day containing startEpochMs, and
// simulation time 0 is startEpochMs. Dates are computed with integer arithmetic (days-from-civil
// inverse, H. Hinnant's algorithm): no Date object, no time zone, no current time.

import assert from "node:assert/strict";
import { assertIndex } from "./checks.ts";
import type { KeySpace } from "./keyspace.ts";

export interface DailyKeysOptions {
  /** Wall-clock instant (ms since the Unix epoch, UTC) that simulation time 0 stands for. */
  startEpochMs: number;
  /** Run length: when given, cardinality is the number of days [0, durationUs) touches. */
  durationUs?: number;
  format?: "date";
}

const MS_PER_DAY = 86_400_000;
const US_PER_DAY = 86_400_000_000;
/** Years keyAt can print as four digits. */
const YEAR_MIN = 0;
const YEAR_MAX = 9999;

export function dailyKeys(opts: DailyKeysOptions): KeySpace {
  const { startEpochMs, durationUs, format = "date" } = opts;
  assert(Number.isSafeInteger(startEpochMs), `startEpochMs must be an integer, got ${startEpochMs}`);
  assert(format === "date", `daily key format must be "date", got ${String(format)}`);
  const startDay = Math.floor(startEpochMs / MS_PER_DAY);
  const offsetUs = (startEpochMs - startDay * MS_PER_DAY) * 1000;
  const keyForTime = (timeUs: number): number => Math.floor((offsetUs + timeUs) / US_PER_DAY);
  let cardinality = Infinity;
  if (durationUs !== undefined) {
    assert(Number.isSafeInteger(durationUs) && durationUs >= 1, `durationUs must be a positive integer, got ${durationUs}`);
    cardinality = keyForTime(durationUs - 1) + 1;
  }
  return {
    cardinality,
    description: `daily(start=${formatUtcDate(startDay)}, days=${cardinality})`,
    sample() {
      assert.fail("daily keys follow event time: call keyForTime(timeUs), not sample()");
    },
    keyForTime,
    keyAt(index) {
      assertIndex(index, cardinality);
      return formatUtcDate(startDay + index);
    },
  };
}

/** "YYYY-MM-DD" of a day number counted from 1970-01-01 (day 0); proleptic Gregorian calendar. */
export function formatUtcDate(epochDay: number): string {
  const z = epochDay + 719_468; // shift the epoch to 0000-03-01
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  assert(year >= YEAR_MIN && year <= YEAR_MAX, `year ${year} cannot be written as YYYY`);
  return `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}
