// Tumbling event-time windows behind keyBy (docs/reference.md §8.5): a record's event time is its
// creation time less a delay drawn from the application's event-time delay (device clocks, network);
// the source's watermark is the largest event time it has read less the out-of-orderness bound, less
// 1 ms (BoundedOutOfOrdernessWatermarks), the smallest over the shards it reads. Watermarks travel
// in-band behind the records handed on before them, so a subtask fires a window when it has processed
// every record handed on before the watermark that passes the window's end: output latency is that
// moment less the window's end. A record whose window (end - 1 ms + allowed lateness) is at or below
// the watermark in effect when it is handed on is late and dropped (counted).

import { LogHistogram } from "../metrics/index.ts";

export interface WindowSettings {
  sizeUs: number;
  outOfOrdernessUs: number;
  allowedLatenessUs: number;
}

/** Records of one batch bound for one subtask, by window index: [window, count, window, count, ...]. */
export type WindowCounts = number[];

/** One subtask's windows with records in them, not fired yet. */
export class SubtaskWindows {
  /** Window index -> records in it (small: windows stay open for out-of-orderness and lateness only). */
  private readonly open = new Map<number, number>();
  watermarkUs = -Infinity;

  add(counts: WindowCounts): void {
    for (let i = 0; i < counts.length; i += 2) this.open.set(counts[i]!, (this.open.get(counts[i]!) ?? 0) + counts[i + 1]!);
  }

  /** The watermark reaches the subtask at nowUs: windows whose end - 1 ms it passes fire. Returns how many fired. */
  advance(watermarkUs: number, nowUs: number, settings: WindowSettings, fired: (windowEndUs: number, nowUs: number) => void): void {
    if (watermarkUs <= this.watermarkUs) return;
    this.watermarkUs = watermarkUs;
    const ready: number[] = [];
    for (const window of this.open.keys()) if ((window + 1) * settings.sizeUs - 1000 <= watermarkUs) ready.push(window);
    ready.sort((a, b) => a - b);
    for (const window of ready) {
      this.open.delete(window);
      fired((window + 1) * settings.sizeUs, nowUs);
    }
  }

  get openWindows(): number {
    return this.open.size;
  }

  /** Adds another subtask's open windows (a rescale hands key groups, and their windows, to new owners). */
  merge(other: SubtaskWindows): void {
    for (const [window, count] of other.open) this.open.set(window, (this.open.get(window) ?? 0) + count);
    this.watermarkUs = Math.max(this.watermarkUs, other.watermarkUs);
  }

  /** A copy (a checkpoint's snapshot, or the state restored from one). */
  clone(): SubtaskWindows {
    const copy = new SubtaskWindows();
    for (const [window, count] of this.open) copy.open.set(window, count);
    copy.watermarkUs = this.watermarkUs;
    return copy;
  }
}

/** What the windows measure for the application. */
export class WindowMeter {
  readonly outputLatency = new LogHistogram();
  windowsFired = 0;
  lateRecords = 0;
  recordsInWindows = 0;

  constructor(private readonly warmupUs: number) {}

  fired(windowEndUs: number, nowUs: number): void {
    this.windowsFired++;
    if (windowEndUs >= this.warmupUs) this.outputLatency.add(Math.max(0, nowUs - windowEndUs), 1);
  }
}

/** The window a record of event time eventUs falls in. */
export function windowOf(eventUs: number, sizeUs: number): number {
  return Math.floor(eventUs / sizeUs);
}

/** Whether a record's window has closed for good under a watermark (Flink's isWindowLate). */
export function isLate(window: number, watermarkUs: number, settings: WindowSettings): boolean {
  return (window + 1) * settings.sizeUs - 1000 + settings.allowedLatenessUs <= watermarkUs;
}
