// What one producer client was asked to write and what it wrote again, per report interval, the same
// way for every kind of system: the records it took from the workload by their creation time (so
// every system fed by one workload shows the same demand, whatever its batching, blocking or
// throttling), and the records of every attempt after a first (retries) at the time of the attempt.
// Like the other series they cover the whole run, warm-up included; usage totals start after warm-up.

import type { SeriesOptions } from "./intervals.ts";
import { CounterSeries } from "./series.ts";
import type { ProducerSeries } from "./system-kinds.ts";

export class ProducerMeter {
  readonly offered: CounterSeries;
  readonly retried: CounterSeries;

  constructor(options: SeriesOptions) {
    this.offered = new CounterSeries(options);
    this.retried = new CounterSeries(options);
  }

  /**
   * Records taken from the workload, with their creation times (non-decreasing, as a workload hands
   * them out): one add per simulated second they span, not one per record.
   */
  took(timeUs: ArrayLike<number>, count: number): void {
    if (count === 0) return;
    let secondStartUs = timeUs[0];
    let secondEndUs = (Math.floor(secondStartUs / 1e6) + 1) * 1e6;
    let records = 0;
    for (let i = 0; i < count; i++) {
      if (timeUs[i] >= secondEndUs) {
        this.offered.add(secondStartUs, records);
        secondStartUs = timeUs[i];
        secondEndUs = (Math.floor(secondStartUs / 1e6) + 1) * 1e6;
        records = 0;
      }
      records++;
    }
    this.offered.add(secondStartUs, records);
  }

  /** An attempt after the first of `count` records reached the service at nowUs. */
  retry(nowUs: number, count: number): void {
    this.retried.add(nowUs, count);
  }

  /** The system's series: its clients' meters summed per report interval. */
  static series(meters: readonly ProducerMeter[], options: SeriesOptions): ProducerSeries {
    return { ProducedRecords: sumSeries(meters.map((meter) => meter.offered), options), RetriedRecords: sumSeries(meters.map((meter) => meter.retried), options) };
  }
}

/** One client's series as is; several summed per interval (their per-second peaks are then not kept: a sum of peaks is no peak). */
function sumSeries(all: readonly CounterSeries[], options: SeriesOptions): CounterSeries {
  if (all.length === 1) return all[0];
  const total = new CounterSeries(options);
  for (let i = 0; i < total.intervalCount; i++) {
    let value = 0;
    for (const series of all) value += series.sumAt(i);
    if (value > 0) total.add(total.startUsAt(i), value);
  }
  return total;
}
