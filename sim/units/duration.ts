// Durations: "200ms", "1.5s", "10 s", "1h30m" <-> integer microseconds.

import assert from "node:assert/strict";
import { DECIMAL_SOURCE, formatDecimal, multiply, parseDecimal, wholeValue, type Decimal } from "./decimal.ts";
import { EXPECTED, UNIT_VALUE_MAX, unitError } from "./errors.ts";

/** Largest first: a compound duration must list its parts in this order. */
const US_PER_UNIT = {
  d: 86_400_000_000,
  h: 3_600_000_000,
  m: 60_000_000,
  s: 1_000_000,
  ms: 1_000,
  us: 1,
} as const;

type DurationUnit = keyof typeof US_PER_UNIT;

const UNIT_RANK: Record<DurationUnit, number> = { d: 5, h: 4, m: 3, s: 2, ms: 1, us: 0 };

// "ms" and "us" come before "m" and "s" so that "1ms" is not read as "1m" followed by junk.
const PART_SOURCE = `(${DECIMAL_SOURCE}) ?(us|ms|s|m|h|d)`;

interface DurationPart {
  readonly amount: Decimal;
  readonly unit: DurationUnit;
}

/** Parses "1h30m", "1.5s", "10 s" or plain "0" into microseconds; throws UnitError otherwise. */
export function parseDurationUs(text: string): number {
  if (text === "0") return 0;
  const parts = splitParts(text);
  if (parts === undefined) throw unitError(EXPECTED.duration, text, durationSuggestion(text));
  if (!isWellFormedCompound(parts)) throw unitError(EXPECTED.durationCompound, text);
  const durationUs = sumUs(parts);
  if (durationUs === undefined) throw unitError(EXPECTED.durationWhole, text);
  if (durationUs > BigInt(UNIT_VALUE_MAX)) throw unitError(EXPECTED.durationMax, text);
  return Number(durationUs);
}

/** Unit words people write for the units a duration takes (units are case-sensitive: "M" is not minutes). */
const UNIT_ALIASES: ReadonlyArray<readonly [RegExp, DurationUnit]> = [
  [/^(?:min|mins|minute|minutes|M|Min|MIN)$/, "m"],
  [/^(?:sec|secs|second|seconds|S|Sec|SEC)$/, "s"],
  [/^(?:hr|hrs|hour|hours|H|Hr|HR)$/, "h"],
  [/^(?:day|days|D)$/, "d"],
  [/^(?:msec|msecs|millisecond|milliseconds|MS|Ms)$/, "ms"],
  [/^(?:µs|usec|usecs|microsecond|microseconds|US)$/, "us"],
];

/**
 * The duration a text that does not parse most likely meant, with its unit words written as units
 * ("10min" -> "10m", "1M" -> "1m", "10 minutes" -> "10m"); undefined when none parses.
 */
function durationSuggestion(text: string): string | undefined {
  const rewritten = text.trim().replace(/(\d(?:[\d.]*))\s*([A-Za-zµ]+)/g, (whole, amount: string, unit: string) => {
    const alias = UNIT_ALIASES.find(([pattern]) => pattern.test(unit));
    return alias === undefined ? whole : `${amount}${alias[1]}`;
  }).replace(/\s+/g, "");
  if (rewritten === text || splitParts(rewritten) === undefined) return undefined;
  return rewritten;
}

/** The whole text as number-unit parts, or undefined if anything else is in it. */
function splitParts(text: string): DurationPart[] | undefined {
  // A fresh regex per call: sticky regexes keep lastIndex, so a shared one would be hidden state.
  const pattern = new RegExp(PART_SOURCE, "y");
  const parts: DurationPart[] = [];
  while (pattern.lastIndex < text.length) {
    const match = pattern.exec(text);
    if (match === null) return undefined;
    parts.push({ amount: parseDecimal(match[1]), unit: match[2] as DurationUnit });
  }
  return parts.length > 0 ? parts : undefined;
}

/** Units strictly decreasing, and only the last part may have a fraction ("1.5h30m" is ambiguous). */
function isWellFormedCompound(parts: readonly DurationPart[]): boolean {
  return parts.every((part, index) => {
    if (index === 0) return true;
    const previous = parts[index - 1];
    return UNIT_RANK[part.unit] < UNIT_RANK[previous.unit] && previous.amount.scale === 0;
  });
}

function sumUs(parts: readonly DurationPart[]): bigint | undefined {
  let totalUs = 0n;
  for (const part of parts) {
    const partUs = wholeValue(multiply(part.amount, BigInt(US_PER_UNIT[part.unit])));
    if (partUs === undefined) return undefined;
    totalUs += partUs;
  }
  return totalUs;
}

/**
 * The shortest exact human form: "0s", "100us", "1.5ms" below a second; from a second up, whole
 * days, hours and minutes followed by decimal seconds ("1h30m", "2m30.5s", "1d"). Always round-trips
 * through parseDurationUs.
 */
export function formatDurationUs(durationUs: number): string {
  assert(
    Number.isFinite(durationUs) && durationUs >= 0 && durationUs <= Number.MAX_SAFE_INTEGER,
    `formatDurationUs: ${durationUs} is not a non-negative safe number of microseconds`,
  );
  // Times are whole microseconds; one that went through seconds (4.1 * 1e6 = 4099999.9999999995)
  // is rounded back rather than failing a report after the whole run. A real fraction (0.5) is a bug.
  const rounded = Math.round(durationUs);
  assert(Math.abs(durationUs - rounded) <= 1e-6 * Math.max(1, durationUs), `formatDurationUs: ${durationUs} is not a whole number of microseconds`);
  durationUs = rounded;
  if (durationUs === 0) return "0s";
  if (durationUs < US_PER_UNIT.ms) return `${durationUs}us`;
  if (durationUs < US_PER_UNIT.s) return `${formatDecimal({ digits: BigInt(durationUs), scale: 3 })}ms`;
  return formatCompound(durationUs);
}

/** Whole microseconds of a time held in seconds (summary.json holds seconds): the one way back. */
export function usOfSeconds(seconds: number): number {
  return Math.round(seconds * 1_000_000);
}

/** durationUs * numerator / denominator rounded down, exactly (the product may pass 2^53). */
export function scaleDurationUs(durationUs: number, numerator: number, denominator: number): number {
  return Number((BigInt(durationUs) * BigInt(numerator)) / BigInt(denominator));
}

function formatCompound(durationUs: number): string {
  let restUs = durationUs;
  let text = "";
  for (const unit of ["d", "h", "m"] as const) {
    // % is exact on integers; Math.floor(restUs / unitUs) can round up near a multiple.
    const count = (restUs - (restUs % US_PER_UNIT[unit])) / US_PER_UNIT[unit];
    if (count > 0) text += `${count}${unit}`;
    restUs %= US_PER_UNIT[unit];
  }
  if (restUs > 0) text += `${formatDecimal({ digits: BigInt(restUs), scale: 6 })}s`;
  return text;
}
