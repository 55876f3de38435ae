// One rounding rule for every number written to summary.json and summary.md, so outputs compare
// byte for byte and read the same everywhere.

/** Rounds to `digits` decimals; NaN (an empty statistic) becomes null. */
export function round(value: number, digits = 3): number | null {
  if (Number.isNaN(value)) return null;
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function percent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** 1234567 -> "1,234,567" (fixed locale, so output does not depend on the machine). */
export function grouped(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
