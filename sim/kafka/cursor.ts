// One partition as a consumer group sees it: where the next fetch starts, what was processed, what
// the group committed. Positions move only through the verbs, which check them.

import { invariant } from "../engine/index.ts";
import { GaugeSeries, type SeriesOptions } from "../metrics/index.ts";

export class Cursor {
  private fetchedEndSeq = 0;
  private processedEndSeq = 0;
  private committedEndSeq = 0;
  /** A completed fetch of this partition waits in its owner's buffer: the owner does not fetch it again until it is handed out. */
  held = false;
  readonly recordsLag: GaugeSeries;

  /** Next offset to fetch. */
  get fetchedSeq(): number {
    return this.fetchedEndSeq;
  }

  /** Every record before it was processed at least once (or expired). */
  get processedSeq(): number {
    return this.processedEndSeq;
  }

  /** The group's committed offset: where a new owner starts. */
  get committedSeq(): number {
    return this.committedEndSeq;
  }

  constructor(seriesOptions: SeriesOptions) {
    this.recordsLag = new GaugeSeries(seriesOptions);
    this.recordsLag.set(0, 0);
  }

  /** A fetch took records up to endSeq (the next fetch starts there). */
  fetched(endSeq: number): void {
    invariant(endSeq > this.fetchedEndSeq, "a fetch moves its position forward");
    this.fetchedEndSeq = endSeq;
  }

  /** A new owner starts fetching from the committed offset (what was fetched after it is fetched again). */
  resumeFromCommitted(): void {
    this.fetchedEndSeq = this.committedEndSeq;
    this.held = false;
  }

  /** A Flink job restarting from a checkpoint reads again from seq (what it processed after seq is processed again). */
  rewindTo(seq: number): void {
    invariant(seq >= 0, "a rewind goes to a valid offset");
    this.fetchedEndSeq = Math.min(this.fetchedEndSeq, seq);
    this.held = false;
  }

  /** A new leader cut the log back to endSeq: no position may stay beyond it. */
  truncateTo(endSeq: number): void {
    invariant(endSeq >= 0, "a log is cut back to a valid offset");
    this.fetchedEndSeq = Math.min(this.fetchedEndSeq, endSeq);
    this.processedEndSeq = Math.min(this.processedEndSeq, endSeq);
    this.committedEndSeq = Math.min(this.committedEndSeq, endSeq);
  }

  /** Retention deleted everything before expiredSeq: every position moves up to it (none moves back). */
  skipTo(expiredSeq: number): void {
    invariant(expiredSeq > this.fetchedEndSeq, "retention moves a fetch position forward");
    this.fetchedEndSeq = expiredSeq;
    this.processedEndSeq = Math.max(this.processedEndSeq, expiredSeq);
    this.committedEndSeq = Math.max(this.committedEndSeq, expiredSeq);
  }

  /** Records up to endSeq were processed; `tailSeq` is the log's end (nothing past it can be). */
  processed(endSeq: number, tailSeq: number): void {
    invariant(endSeq <= tailSeq, "a consumer processes only records in the log");
    if (endSeq > this.processedEndSeq) this.processedEndSeq = endSeq;
  }

  /** The group commits the position: everything processed so far. */
  commit(): void {
    invariant(this.processedEndSeq >= this.committedEndSeq, "a committed offset only moves forward");
    this.committedEndSeq = this.processedEndSeq;
  }
}
