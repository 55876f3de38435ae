// Unit errors and every user-facing word they carry. Detection lives in the parsers; the wording lives
// here so the scenario loader and the tests compare against one place.
//
// The loader prints `${path} ${field}: expected ${expected}, found ${found}`, so each `expected` text
// must read naturally after the word "expected".

/** The largest integer result any unit parser returns (about 285 years in microseconds). */
export const UNIT_VALUE_MAX = Number.MAX_SAFE_INTEGER;

const SIZE_UNIT_LIST = "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB";

export const EXPECTED = {
  duration:
    'a duration such as "200ms", "1.5s" or "1h30m" (units us, ms, s, m, h, d; plain decimals, no exponents)',
  durationCompound:
    'a compound duration with units in decreasing order, each used once, and a decimal only in the last part, such as "1h30m" or "2m30.5s"',
  durationWhole: "a whole number of microseconds",
  durationMax: `a duration of at most ${UNIT_VALUE_MAX}us (about 285 years)`,
  size: `a size such as "512B", "64KiB" or "1.5MB" (units ${SIZE_UNIT_LIST}, case-sensitive; plain decimals, no exponents)`,
  sizeWhole: "a whole number of bytes",
  sizeMax: `a size of at most ${UNIT_VALUE_MAX}B`,
  rate: `a rate such as "6000 records/s", "10MB/s" or "512KiB/s" (records/s, or a size unit ${SIZE_UNIT_LIST} followed by /s, case-sensitive; plain decimals, no exponents)`,
  rateMax: `a rate of at most ${UNIT_VALUE_MAX} per second`,
} as const;

export class UnitError extends Error {
  /**
   * @param expected what would have been accepted, worded to follow "expected ".
   * @param found the offending text already quoted as JSON (`"20 parsecs"`), ready to print.
   */
  constructor(
    readonly expected: string,
    readonly found: string,
    /** The text the input most likely meant ("10m" for "10min"), when there is one. */
    readonly suggestion?: string,
  ) {
    super(`expected ${expected}, found ${found}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}`);
    this.name = "UnitError";
  }
}

/** Builds a UnitError for raw input text, quoting it so spaces and empty strings stay visible. */
export function unitError(expected: string, text: string, suggestion?: string): UnitError {
  return new UnitError(expected, JSON.stringify(text), suggestion);
}
