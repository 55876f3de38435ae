// Mean and 95% confidence interval across replications: mean +- t(0.975, n-1) * s / sqrt(n), s the
// sample standard deviation (simple-statistics). simple-statistics has no Student t quantile, so the
// critical values for 1..30 degrees of freedom are tabulated (NIST/SEMATECH e-Handbook of Statistical
// Methods, §1.3.6.7.2, upper 0.975 column); above 30 the Cornish-Fisher expansion of t in terms of
// the normal quantile (Abramowitz & Stegun 26.7.5) is within 0.001 of the exact value.

import { mean, probit, sampleStandardDeviation } from "simple-statistics";

const tCritical975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101,
  2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The two-sided 95% critical value of Student's t with `df` degrees of freedom. */
export function tCritical95(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a positive integer, got ${df}`);
  if (df <= tCritical975.length) return tCritical975[df - 1];
  const z = probit(0.975);
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export interface MeanCi {
  n: number;
  mean: number | null;
  /** Half the width of the 95% interval; null with fewer than two values. */
  halfWidth: number | null;
  low: number | null;
  high: number | null;
}

export function meanCi(values: number[]): MeanCi {
  if (values.length === 0) return { n: 0, mean: null, halfWidth: null, low: null, high: null };
  const center = mean(values);
  if (values.length < 2) return { n: 1, mean: center, halfWidth: null, low: null, high: null };
  const halfWidth = (tCritical95(values.length - 1) * sampleStandardDeviation(values)) / Math.sqrt(values.length);
  return { n: values.length, mean: center, halfWidth, low: center - halfWidth, high: center + halfWidth };
}
