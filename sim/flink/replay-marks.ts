// Which records of one shard a Flink source has already seen processed, while it re-reads them after a
// restart (docs/reference.md §8.6): every record below `belowSeq`, and a few islands above it (batches
// that completed out of order before the restart). A batch processed again is split into records seen
// before (reprocessed: duplicates at an at-least-once sink) and records processed for the first time.
// Positions are sequence numbers; islands are kept sorted, disjoint and above belowSeq.

import { invariant } from "../engine/index.ts";

export class ReplayMarks {
  private readonly islands: number[] = [];

  constructor(private belowSeq: number) {}

  /** The highest position seen processed: once the source's processed position reaches it, the replay is over. */
  get endSeq(): number {
    return this.islands.length > 0 ? this.islands[this.islands.length - 1]! : this.belowSeq;
  }

  /** Records of [startSeq, endSeq) seen processed. */
  overlap(startSeq: number, endSeq: number): number {
    let seen = Math.max(0, Math.min(endSeq, this.belowSeq) - startSeq);
    for (let i = 0; i < this.islands.length; i += 2) {
      seen += Math.max(0, Math.min(endSeq, this.islands[i + 1]!) - Math.max(startSeq, this.islands[i]!));
    }
    return seen;
  }

  /** [startSeq, endSeq) is processed now. */
  mark(startSeq: number, endSeq: number): void {
    invariant(startSeq <= endSeq, "a marked range runs forward");
    if (startSeq <= this.belowSeq) this.belowSeq = Math.max(this.belowSeq, endSeq);
    else this.addIsland(startSeq, endSeq);
    // Islands the prefix reached join it.
    while (this.islands.length > 0 && this.islands[0]! <= this.belowSeq) {
      this.belowSeq = Math.max(this.belowSeq, this.islands[1]!);
      this.islands.splice(0, 2);
    }
  }

  private addIsland(startSeq: number, endSeq: number): void {
    let at = 0;
    while (at < this.islands.length && this.islands[at + 1]! < startSeq) at += 2;
    let start = startSeq;
    let end = endSeq;
    let remove = 0;
    while (at + remove < this.islands.length && this.islands[at + remove]! <= end) {
      start = Math.min(start, this.islands[at + remove]!);
      end = Math.max(end, this.islands[at + remove + 1]!);
      remove += 2;
    }
    this.islands.splice(at, remove, start, end);
  }
}
