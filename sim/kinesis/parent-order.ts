// A reader starts on a shard only once every parent of it is read to its end, so records of one key
// are read in order across a reshard (docs/reference.md §1.4). KCL applications and Lambda mappings
// follow the same rule, so both consumers keep their shard workers behind this one gate.

import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";

/** What the gate needs of a shard worker. */
export interface GatedWorker {
  readonly shard: Shard;
  readonly state: string;
  start(): void;
}

export class ParentOrder<W extends GatedWorker> {
  private readonly finishedShards = new Set<number>();

  constructor(
    private readonly stream: KinesisStream,
    private readonly workers: ReadonlyArray<W | undefined>,
  ) {}

  /** Starts the shard's worker if it waits and all the shard's parents are finished. */
  startIfReady(shard: Shard): void {
    const worker = this.workers[shard.index];
    if (worker?.state === "blocked" && shard.parents.every((parent) => this.finishedShards.has(parent))) worker.start();
  }

  /** A worker read its shard to the end: its children may start. */
  finished(worker: W): void {
    this.finishedShards.add(worker.shard.index);
    for (const child of worker.shard.children) this.startIfReady(this.stream.shards[child]!);
  }
}
