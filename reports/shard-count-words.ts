// How many shards a count is out of. A stream that resharded had more shards over the run (closed
// parents included) than were ever open together: "9 of 120 shards" read as 9 of the stream's 120 when
// it never had more than 64 open at once. Such a count says both.

import { grouped } from "./numbers.ts";

/** When a shard or partition took writes, in any one unit (null: open at the end). */
export interface OpenSpan {
  opened: number;
  closed: number | null;
}

/**
 * The most shards open at once: a sweep over openings (+1) and closings (-1) in time order, a closing
 * before an opening at the same instant (a reshard's parents close as its children open).
 */
export function mostOpenAtOnce(spans: readonly OpenSpan[]): number {
  const changes: Array<[at: number, step: number]> = [];
  for (const span of spans) {
    changes.push([span.opened, 1]);
    if (span.closed !== null) changes.push([span.closed, -1]);
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of changes) {
    open += step;
    most = Math.max(most, open);
  }
  return most;
}

/** Whether the stream resharded: a shard opened after the start or closed before the end. */
export function resharded(spans: readonly OpenSpan[]): boolean {
  return spans.some((span) => span.opened > 0 || span.closed !== null);
}

/**
 * "9 of 120 shards over their write limit" for a stream that kept its shards; "9 shards over their write
 * limit (of at most 64 open at once, 120 over the run)" for one that resharded.
 */
export function shardsOverLimitText(over: number, spans: readonly OpenSpan[]): string {
  if (!resharded(spans)) return `${grouped(over)} of ${grouped(spans.length)} shards over their write limit`;
  return `${grouped(over)} shards over their write limit (of at most ${grouped(mostOpenAtOnce(spans))} open at once, ${grouped(spans.length)} over the run)`;
}

/** For a chart caption: the most shards open at once of a stream that resharded, else null (its count is the stream's). */
export function mostOpenIfResharded(spans: readonly OpenSpan[]): number | null {
  return resharded(spans) ? mostOpenAtOnce(spans) : null;
}

/** The spans of summary.json's partitions (openedSeconds, closedSeconds). */
export function summarySpans(partitions: ReadonlyArray<{ openedSeconds: number | null; closedSeconds: number | null }>): OpenSpan[] {
  return partitions.map((partition) => ({ opened: partition.openedSeconds ?? 0, closed: partition.closedSeconds }));
}

/** The spans of a run's partitions (openedUs, closedUs). */
export function resultSpans(partitions: ReadonlyArray<{ openedUs: number; closedUs: number | null }>): OpenSpan[] {
  return partitions.map((partition) => ({ opened: partition.openedUs, closed: partition.closedUs }));
}
