// Sizes: "512B", "64KiB", "1.5MB" <-> integer bytes. KB/MB/GB/TB are powers of 1000 and KiB/MiB/GiB/TiB
// powers of 1024, as written: the symbols are case-sensitive so "mb" can never quietly mean millibits.

import assert from "node:assert/strict";
import { DECIMAL_SOURCE, multiply, parseDecimal, wholeValue } from "./decimal.ts";
import { EXPECTED, UNIT_VALUE_MAX, unitError } from "./errors.ts";
import { SIZE_UNIT_SOURCE, bytesPerUnit, formatSizeAmount, sizeUnit } from "./size-units.ts";

const SIZE_PATTERN = new RegExp(`^(${DECIMAL_SOURCE}) ?(${SIZE_UNIT_SOURCE})$`);

/** Parses "1.5KiB", "10 MB" or plain "0" into whole bytes; throws UnitError otherwise. */
export function parseSizeBytes(text: string): number {
  if (text === "0") return 0;
  const match = SIZE_PATTERN.exec(text);
  if (match === null) throw unitError(EXPECTED.size, text);
  const amount = parseDecimal(match[1]);
  const sizeBytes = wholeValue(multiply(amount, bytesPerUnit(sizeUnit(match[2]))));
  if (sizeBytes === undefined) throw unitError(EXPECTED.sizeWhole, text);
  if (sizeBytes > BigInt(UNIT_VALUE_MAX)) throw unitError(EXPECTED.sizeMax, text);
  return Number(sizeBytes);
}

/** The shortest exact form ("1KiB", "1.5MiB", "1KB", "123B"); always round-trips through parseSizeBytes. */
export function formatBytes(sizeBytes: number): string {
  assert(
    Number.isSafeInteger(sizeBytes) && sizeBytes >= 0,
    `formatBytes: ${sizeBytes} is not a non-negative safe integer`,
  );
  return formatSizeAmount({ digits: BigInt(sizeBytes), scale: 0 });
}
