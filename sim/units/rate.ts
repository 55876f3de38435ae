// Rates: "6000 records/s", "0.5 records/s", "10MB/s", "512 KiB/s". Rates may be fractional; they are
// the double nearest the exact decimal value, computed without float multiplication by the unit.

import assert from "node:assert/strict";
import {
  DECIMAL_SOURCE,
  decimalOfNumber,
  exceeds,
  formatDecimal,
  multiply,
  parseDecimal,
  toNumber,
  type Decimal,
} from "./decimal.ts";
import { EXPECTED, UNIT_VALUE_MAX, unitError } from "./errors.ts";
import { SIZE_UNIT_SOURCE, bytesPerUnit, formatSizeAmount, sizeUnit } from "./size-units.ts";

export type Rate =
  | { readonly kind: "records"; readonly recordsPerSecond: number }
  | { readonly kind: "bytes"; readonly bytesPerSecond: number };

const RATE_PATTERN = new RegExp(`^(${DECIMAL_SOURCE}) ?(records|${SIZE_UNIT_SOURCE})/s$`);

/** Parses a records or bytes rate; throws UnitError for anything else, including a bare "0". */
export function parseRate(text: string): Rate {
  const match = RATE_PATTERN.exec(text);
  if (match === null) throw unitError(EXPECTED.rate, text);
  const amount = parseDecimal(match[1]);
  if (match[2] === "records") {
    return { kind: "records", recordsPerSecond: perSecond(amount, text) };
  }
  const bytesPerSecond = perSecond(multiply(amount, bytesPerUnit(sizeUnit(match[2]))), text);
  return { kind: "bytes", bytesPerSecond };
}

function perSecond(amount: Decimal, text: string): number {
  if (exceeds(amount, BigInt(UNIT_VALUE_MAX))) throw unitError(EXPECTED.rateMax, text);
  return toNumber(amount);
}

/** "6000 records/s", "1.5MiB/s", "0.5B/s": the shortest exact form; always round-trips through parseRate. */
export function formatRate(rate: Rate): string {
  if (rate.kind === "records") {
    return `${formatDecimal(decimalOfNumber(checkedRate(rate.recordsPerSecond)))} records/s`;
  }
  return `${formatSizeAmount(decimalOfNumber(checkedRate(rate.bytesPerSecond)))}/s`;
}

function checkedRate(perSecondValue: number): number {
  assert(
    Number.isFinite(perSecondValue) && perSecondValue >= 0 && perSecondValue <= UNIT_VALUE_MAX,
    `formatRate: ${perSecondValue} is not a rate between 0 and ${UNIT_VALUE_MAX}`,
  );
  return perSecondValue;
}
