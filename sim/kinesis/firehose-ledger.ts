// What a Firehose source needs of each shard's records beyond the shard's runs: their data bytes without
// the partition key (S3 objects hold data only) and the bytes ingestion bills, each record rounded up
// to 5 KB on its own size (docs/reference.md §7.3). Kept per run of the shard's log, counted as each
// record is written, dropped once read: memory follows the unread backlog's runs, not its records.

import { billedIngestBytes } from "../firehose-delivery/index.ts";
import { invariant } from "../engine/index.ts";

export class ShardDataLedger {
  // Per run, oldest first from `head`: the run's index in the shard's log, its data and billed bytes.
  private runs: number[] = [];
  private dataBytes: number[] = [];
  private billedBytes: number[] = [];
  private head = 0;

  /** A record of `dataBytes` was written into run `run` of the shard's log (the newest). */
  written(run: number, dataBytes: number): void {
    const last = this.runs.length - 1;
    if (last >= this.head && this.runs[last] === run) {
      this.dataBytes[last] += dataBytes;
      this.billedBytes[last] += billedIngestBytes(dataBytes);
      return;
    }
    this.runs.push(run);
    this.dataBytes.push(dataBytes);
    this.billedBytes.push(billedIngestBytes(dataBytes));
  }

  /** Data and billed bytes of `share` (0-1] of run `run`'s records, dropping the runs before it. */
  take(run: number, share: number): { dataBytes: number; billedBytes: number } {
    while (this.head < this.runs.length && this.runs[this.head] < run) this.head++;
    invariant(this.head < this.runs.length && this.runs[this.head] === run, "every run a Firehose source reads was counted as it was written");
    const result = { dataBytes: this.dataBytes[this.head] * share, billedBytes: this.billedBytes[this.head] * share };
    if (this.head > 1024 && this.head * 2 > this.runs.length) this.compact();
    return result;
  }

  private compact(): void {
    this.runs = this.runs.slice(this.head);
    this.dataBytes = this.dataBytes.slice(this.head);
    this.billedBytes = this.billedBytes.slice(this.head);
    this.head = 0;
  }
}
