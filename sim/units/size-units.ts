// The size units shared by sizes ("64KiB") and byte rates ("10MB/s"), and the choice of unit when printing.

import assert from "node:assert/strict";
import { divideByPowerOfTen, divideByPowerOfTwo, formatDecimal, type Decimal } from "./decimal.ts";

export interface SizeUnit {
  readonly symbol: string;
  readonly base: 2 | 10;
  /** bytes per unit = base^power. */
  readonly power: number;
}

// The order breaks ties between equally short forms: plain bytes, then binary units (what buffer and
// record limits are usually given in), then decimal units.
export const SIZE_UNITS: readonly SizeUnit[] = [
  { symbol: "B", base: 10, power: 0 },
  { symbol: "KiB", base: 2, power: 10 },
  { symbol: "MiB", base: 2, power: 20 },
  { symbol: "GiB", base: 2, power: 30 },
  { symbol: "TiB", base: 2, power: 40 },
  { symbol: "KB", base: 10, power: 3 },
  { symbol: "MB", base: 10, power: 6 },
  { symbol: "GB", base: 10, power: 9 },
  { symbol: "TB", base: 10, power: 12 },
];

/** Regex alternation of the symbols; callers anchor it, so alternative order does not matter. */
export const SIZE_UNIT_SOURCE = SIZE_UNITS.map((unit) => unit.symbol).join("|");

export function sizeUnit(symbol: string): SizeUnit {
  const unit = SIZE_UNITS.find((candidate) => candidate.symbol === symbol);
  assert(unit !== undefined, `sizeUnit: unknown symbol ${symbol}`);
  return unit;
}

export function bytesPerUnit(unit: SizeUnit): bigint {
  return BigInt(unit.base) ** BigInt(unit.power);
}

/**
 * Prints an exact byte amount in the unit whose number is shortest ("1KiB", "1.5MiB", "1KB", "123B").
 * Every unit divides exactly (1/2^n and 1/10^n terminate), so every candidate round-trips; units
 * other than B are skipped when the number would be below 1 ("512B", not "0.5KiB").
 */
export function formatSizeAmount(bytes: Decimal): string {
  let best = { amount: formatDecimal(bytes), symbol: "B" };
  for (const unit of SIZE_UNITS) {
    const amount = formatDecimal(amountInUnit(bytes, unit));
    if (amount.startsWith("0") || amount.length >= best.amount.length) continue;
    best = { amount, symbol: unit.symbol };
  }
  return `${best.amount}${best.symbol}`;
}

function amountInUnit(bytes: Decimal, unit: SizeUnit): Decimal {
  return unit.base === 2 ? divideByPowerOfTwo(bytes, unit.power) : divideByPowerOfTen(bytes, unit.power);
}
