// Tumbling and sliding event-time windows behind keyBy (docs/reference.md §8.5): a sliding window of
// size S every slide L starts at each multiple of L and a record belongs to every window whose
// [start, start + S) holds its event time (S / L of them when L divides S); tumbling is L = S. a record's event time is its
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
  /** Window starts are multiples of it: the size for tumbling windows. */
  slideUs: number;
  outOfOrdernessUs: number;
  allowedLatenessUs: number;
  /** Session windows: the gap (size and slide are then 0); absent or 0 for tumbling and sliding windows. */
  sessionGapUs?: number;
}

/** The window settings of a Flink consumer's `window` block. */
export function windowSettingsOf(window: { size?: number; slide?: number; gap?: number; outOfOrderness: number; allowedLateness: number } | undefined): WindowSettings | null {
  if (window === undefined) return null;
  const settings: WindowSettings = { sizeUs: window.size ?? 0, slideUs: window.slide ?? window.size ?? 0, outOfOrdernessUs: window.outOfOrderness, allowedLatenessUs: window.allowedLateness };
  if (window.gap !== undefined) settings.sessionGapUs = window.gap;
  return settings;
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
  advance(watermarkUs: number, nowUs: number, settings: WindowSettings, fired: (windowEndUs: number, nowUs: number, records: number) => void): void {
    if (watermarkUs <= this.watermarkUs) return;
    this.watermarkUs = watermarkUs;
    let ready: number[] | null = null;
    for (const window of this.open.keys()) if (windowEndUs(window, settings) - 1000 <= watermarkUs) (ready ??= []).push(window);
    if (ready === null) return;
    ready.sort((a, b) => a - b);
    for (const window of ready) {
      const records = this.open.get(window)!;
      this.open.delete(window);
      fired(windowEndUs(window, settings), nowUs, records);
    }
  }

  get openWindows(): number {
    return this.open.size;
  }

  /** Record-window assignments in windows not fired yet. */
  get openRecords(): number {
    let total = 0;
    for (const count of this.open.values()) total += count;
    return total;
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
  /** Records summed over the windows fired (a record counts once in each of its windows). */
  recordsInWindows = 0;

  constructor(private readonly warmupUs: number) {}

  /** A window result emitted at nowUs; visible: at once (false: when a transaction commits it, see visible()). */
  fired(windowEndUs: number, nowUs: number, records: number, visible = true): void {
    this.windowsFired++;
    this.recordsInWindows += records;
    if (visible) this.visible(windowEndUs, nowUs);
  }

  /** A window result becomes visible downstream at nowUs: its output latency. */
  visible(windowEndUs: number, nowUs: number): void {
    if (windowEndUs >= this.warmupUs) this.outputLatency.add(Math.max(0, nowUs - windowEndUs), 1);
  }
}

/** The end of window k (its start is k x slide). */
export function windowEndUs(window: number, settings: WindowSettings): number {
  return window * settings.slideUs + settings.sizeUs;
}

/**
 * The latest time at or before timeUs where the windows holding an event time change (a window's start or
 * end): every event time in [it, timeUs] belongs to the windows timeUs belongs to.
 */
export function windowBoundaryAtOrBefore(timeUs: number, settings: WindowSettings): number {
  const slideUs = settings.slideUs;
  const startUs = Math.floor(timeUs / slideUs) * slideUs;
  if (slideUs === settings.sizeUs) return startUs;
  return Math.max(startUs, Math.floor((timeUs - settings.sizeUs) / slideUs) * slideUs + settings.sizeUs);
}

/** Whether a window has closed for good under a watermark (Flink's isWindowLate: maxTimestamp + allowed lateness <= watermark). */
export function isLate(window: number, watermarkUs: number, settings: WindowSettings): boolean {
  return windowEndUs(window, settings) - 1000 + settings.allowedLatenessUs <= watermarkUs;
}

/**
 * Adds one record of event time eventUs to a subtask's batch list ([window, count, ...]) in every window
 * it belongs to that is not late (SlidingEventTimeWindows.assignWindows: starts from the last multiple
 * of the slide at or before it, down while start > eventUs - size). Returns false when every one of its
 * windows is late: the record is dropped (WindowOperator skips it).
 */
export function assignWindows(eventUs: number, watermarkUs: number, settings: WindowSettings, list: WindowCounts): boolean {
  const last = Math.floor(eventUs / settings.slideUs);
  // Tumbling (slide = size): the one window the loop below would visit, without the loop.
  if (settings.slideUs === settings.sizeUs) {
    if (isLate(last, watermarkUs, settings)) return false;
    let at = 0;
    while (at < list.length && list[at] !== last) at += 2;
    if (at === list.length) list.push(last, 1);
    else list[at + 1]!++;
    return true;
  }
  let taken = false;
  // At most ceil(size / slide) windows hold a time; the bound also ends the loop for an event time so
  // far from zero that window - 1 is window in floating point (a delay of millions of years).
  const windowsMax = Math.ceil(settings.sizeUs / settings.slideUs);
  for (let window = last; window > last - windowsMax && window * settings.slideUs > eventUs - settings.sizeUs; window--) {
    if (isLate(window, watermarkUs, settings)) continue;
    taken = true;
    let at = 0;
    while (at < list.length && list[at] !== window) at += 2;
    if (at === list.length) list.push(window, 1);
    else list[at + 1]!++;
  }
  return taken;
}
