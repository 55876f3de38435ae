// Shares written as percentages, one rule for findings (sim/) and reports (reports/numbers.ts
// re-exports these), so the same share reads the same in a finding and in the comparison sentence.

export function percent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/**
 * A share for a sentence: like percent, but a non-zero share never reads as 0% nor a partial one as
 * 100% ("0.04%" rather than "0.0%", "<0.01%" when smaller still, ">99.9%" rather than "100.0%").
 */
export function shareText(share: number, digits = 1): string {
  if (share > 0 && share < 1) {
    for (let extra = 0; extra <= 2; extra++) {
      const text = percent(share, digits + extra);
      if (Number(text.slice(0, -1)) > 0) return Number(text.slice(0, -1)) < 100 ? text : `>${(100 - 10 ** -digits).toFixed(digits)}%`;
    }
    return `<${(10 ** -(digits + 2)).toFixed(digits + 2)}%`;
  }
  return percent(share, digits);
}

/** The digits of a share of records dropped, in a finding and in the comparison sentence alike ("9.00%", "0.06%"). */
export const droppedShareDigits = 2;
