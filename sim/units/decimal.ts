// Exact decimal arithmetic on bigints. Units are converted here rather than with float multiplication
// so that "1.1MB" is exactly 1_100_000 bytes, not 1_100_000.0000000002, and "0.5us" is caught as a
// fraction instead of being rounded away.

import assert from "node:assert/strict";

/** A non-negative exact decimal: digits / 10^scale. A negative scale means trailing zeros. */
export interface Decimal {
  readonly digits: bigint;
  readonly scale: number;
}

/**
 * The only numerals the unit parsers accept: ASCII digits with an optional fraction that has digits
 * on both sides of the point. No sign, no exponent, no ".5" or "5." — parseFloat's leniency is what
 * lets "10MBx" or "1e3s" slip through, so we do not use it.
 */
export const DECIMAL_SOURCE = String.raw`\d+(?:\.\d+)?`;

/** Reads text already matched by DECIMAL_SOURCE. */
export function parseDecimal(text: string): Decimal {
  const pointIndex = text.indexOf(".");
  if (pointIndex < 0) return { digits: BigInt(text), scale: 0 };
  const fraction = text.slice(pointIndex + 1);
  return { digits: BigInt(text.slice(0, pointIndex) + fraction), scale: fraction.length };
}

/** The exact decimal of the shortest text that JavaScript prints for a finite non-negative number. */
export function decimalOfNumber(value: number): Decimal {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  assert(match !== null, `decimalOfNumber: ${value} is not a finite non-negative number`);
  const fraction = match[2] ?? "";
  const exponent = Number(match[3] ?? "0");
  return { digits: BigInt(match[1] + fraction), scale: fraction.length - exponent };
}

export function multiply(value: Decimal, factor: bigint): Decimal {
  return { digits: value.digits * factor, scale: value.scale };
}

/** value / 2^power, exactly: 1/2^n = 5^n/10^n always terminates. */
export function divideByPowerOfTwo(value: Decimal, power: number): Decimal {
  return { digits: value.digits * 5n ** BigInt(power), scale: value.scale + power };
}

export function divideByPowerOfTen(value: Decimal, power: number): Decimal {
  return { digits: value.digits, scale: value.scale + power };
}

/** The value as a bigint, or undefined when it has a non-zero fraction. */
export function wholeValue(value: Decimal): bigint | undefined {
  if (value.scale <= 0) return value.digits * 10n ** BigInt(-value.scale);
  const divisor = 10n ** BigInt(value.scale);
  return value.digits % divisor === 0n ? value.digits / divisor : undefined;
}

export function exceeds(value: Decimal, limit: bigint): boolean {
  if (value.scale <= 0) return value.digits * 10n ** BigInt(-value.scale) > limit;
  return value.digits > limit * 10n ** BigInt(value.scale);
}

/** The nearest double: Number() on a plain decimal string rounds correctly, float products do not. */
export function toNumber(value: Decimal): number {
  return Number(formatDecimal(value));
}

/** Plain decimal text with no exponent and no trailing zeros in the fraction: "1.5", "1000", "0.25". */
export function formatDecimal(value: Decimal): string {
  const { digits, scale } = trimTrailingZeros(value);
  if (scale <= 0) return (digits * 10n ** BigInt(-scale)).toString();
  const text = digits.toString().padStart(scale + 1, "0");
  return `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

function trimTrailingZeros(value: Decimal): Decimal {
  if (value.digits === 0n) return { digits: 0n, scale: 0 };
  let { digits, scale } = value;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale -= 1;
  }
  return { digits, scale };
}
