// Capacity changes: UpdateShardCount (uniform scaling), SplitShard, MergeShards and on-demand
// scaling (docs/reference.md §1.4, §1.5). An operation starts when asked, takes effect after its duration, and
// may be refused by the service's rules; a refusal is a finding, not an error.

import type { Simulation } from "../engine/index.ts";
import { evenHashRanges, mergeHashRanges, splitHashRange, type HashRange } from "./hash.ts";
import { scalingsPer24hMax, shardsPerStreamMax } from "./limits.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";

const dayUs = 86_400_000_000;

export interface ReshardEvent {
  atUs: number;
  /** When the change was asked for (atUs for a refusal; a change that landed took effect at atUs). */
  askedUs: number;
  action: string;
  outcome: "done" | "refused";
  detail: string;
  openShards: number;
  /** Who asked: the scenario's timeline, or the stream's autoscaling (whose refusals it reports itself). */
  origin: "timeline" | "autoscaling";
}

/**
 * Needs seen within this time of the last on-demand scaling asked for join it (our assumption: the
 * service's one-minute view of the traffic; docs/reference.md §1.5).
 */
const onDemandCoalesceUs = 60_000_000;

export class Resharder {
  readonly events: ReshardEvent[] = [];
  private busyUntilUs = -1;
  private readonly scalingTimesUs: number[] = [];
  /** The on-demand scaling asked for last, while under way (its target may grow), or null. */
  private onDemandScaling: { target: number; askedUs: number } | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly stream: KinesisStream,
    private readonly onShardCreated: (shard: Shard) => void,
  ) {}

  /** The stream is UPDATING until its change has landed, the instant it lands included. */
  get isUpdating(): boolean {
    return this.sim.nowUs <= this.busyUntilUs;
  }

  /**
   * UpdateShardCount with uniform scaling: target within [current/2, 2 x current], <= 10 per rolling 24 h.
   * Returns the refusal, or null when the stream starts UPDATING; `landed` runs when the count lands.
   */
  updateShardCount(target: number, durationUs: number, origin: ReshardEvent["origin"] = "timeline", landed?: () => void): string | null {
    const now = this.sim.nowUs;
    const current = this.stream.openShards.length;
    const recent = this.scalingTimesUs.filter((t) => t > now - dayUs).length;
    const refusal =
      this.isUpdating ? "the stream is still UPDATING from an earlier change (ResourceInUseException)"
      : target > 2 * current ? `the target ${target} is more than double the current ${current} shards (LimitExceededException)`
      : target < Math.ceil(current / 2) ? `the target ${target} is less than half the current ${current} shards (LimitExceededException)`
      : target > shardsPerStreamMax ? `the target ${target} is above ${shardsPerStreamMax} shards per stream (LimitExceededException)`
      : recent >= scalingsPer24hMax ? `${scalingsPer24hMax} scalings were already made in the last 24 h (LimitExceededException)`
      : null;
    if (refusal !== null) {
      this.refuse(`update-shard-count to ${target}`, refusal, origin);
      return refusal;
    }
    this.scalingTimesUs.push(now);
    this.after(durationUs, `update-shard-count to ${target}`, () => this.rescale(target), origin, landed);
    return null;
  }

  /** UpdateShardCount calls made in the rolling 24 hours before now (the budget's use). */
  scalingsInLastDay(): number {
    const now = this.sim.nowUs;
    return this.scalingTimesUs.filter((t) => t > now - dayUs).length;
  }

  splitShard(shardIndex: number, newStartingHashKey: bigint | undefined, durationUs: number): void {
    const shard = this.stream.shards[shardIndex];
    if (shard === undefined || !shard.isOpen) return this.refuse(`split-shard ${shardIndex}`, `shard ${shardIndex} is not an open shard of the stream`);
    if (this.isUpdating) return this.refuse(`split-shard ${shard.id}`, "the stream is still UPDATING from an earlier change (ResourceInUseException)");
    const split = splitHashRange(shard.range, newStartingHashKey);
    if ("error" in split) return this.refuse(`split-shard ${shard.id}`, split.error);
    this.after(durationUs, `split-shard ${shard.id}`, () => this.replace([shard], [split.lower, split.upper]));
  }

  mergeShards(aIndex: number, bIndex: number, durationUs: number): void {
    const [a, b] = [this.stream.shards[aIndex], this.stream.shards[bIndex]];
    const label = `merge-shards ${aIndex} and ${bIndex}`;
    if (a === undefined || b === undefined || !a.isOpen || !b.isOpen) return this.refuse(label, "both shards must be open shards of the stream");
    if (this.isUpdating) return this.refuse(label, "the stream is still UPDATING from an earlier change (ResourceInUseException)");
    const merged = mergeHashRanges(a.range, b.range);
    if ("error" in merged) return this.refuse(label, merged.error);
    this.after(durationUs, label, () => this.replace([a, b], [merged]));
  }

  /**
   * On-demand scaling (docs/reference.md §1.5): the service itself re-spreads the hash space evenly over
   * `target` shards. A larger need seen within a minute of the last scaling asked for raises that
   * scaling's target (it lands at its own time with the larger count), instead of a second re-spread
   * landing seconds after the first and closing the shards it had just opened; a need seen later starts
   * a scaling of its own, with the full scale time.
   */
  scaleOnDemand(target: number, durationUs: number): void {
    const now = this.sim.nowUs;
    const latest = this.onDemandScaling;
    if (latest !== null && now - latest.askedUs <= onDemandCoalesceUs) {
      latest.target = Math.max(latest.target, target);
      return;
    }
    const scaling = { target, askedUs: now };
    this.onDemandScaling = scaling;
    this.after(
      durationUs,
      () => `on-demand scaling to ${scaling.target} shards`,
      () => {
        if (this.onDemandScaling === scaling) this.onDemandScaling = null;
        return this.rescale(scaling.target);
      },
    );
  }

  /** On-demand: a shard taking more than 500 KB/s is split at its midpoint (docs/reference.md §1.5). */
  splitOnDemand(shard: Shard, durationUs: number): void {
    const split = splitHashRange(shard.range);
    if ("error" in split) return;
    this.after(durationUs, `on-demand split of ${shard.id}`, () => this.replace([shard], [split.lower, split.upper]));
  }

  /**
   * Closes `parents` and opens shards over `ranges`, each child's parents being the closed shards it
   * overlaps. Returns a refusal when a parent was closed meanwhile (on-demand scaling can overtake a split).
   */
  replace(parents: Shard[], ranges: HashRange[]): string | null {
    const closed = parents.find((parent) => !parent.isOpen);
    if (closed !== undefined) return `${closed.id} was closed by an earlier change before this one landed`;
    const now = this.sim.nowUs;
    for (const parent of parents) parent.close(now);
    const created = ranges.map((range) => {
      const overlapping = parents.filter((parent) => parent.range.start <= range.end && range.start <= parent.range.end).map((parent) => parent.index);
      return this.stream.addShard(range, overlapping, now);
    });
    this.stream.reroute();
    for (const shard of created) this.onShardCreated(shard);
    return null;
  }

  private rescale(target: number): string | null {
    return this.replace(this.stream.openShards, evenHashRanges(target));
  }

  /** Runs `apply` when the change lands; a refusal it returns is recorded as one. */
  /** `action` names the change when it lands (a function where the change may grow meanwhile). */
  private after(durationUs: number, action: string | (() => string), apply: () => string | null, origin: ReshardEvent["origin"] = "timeline", landed?: () => void): void {
    const askedUs = this.sim.nowUs;
    this.busyUntilUs = askedUs + durationUs;
    this.sim.after(durationUs, () => {
      const label = typeof action === "string" ? action : action();
      const refusal = apply();
      if (refusal !== null) return this.refuse(label, refusal, origin);
      this.events.push({ atUs: this.sim.nowUs, askedUs, action: label, outcome: "done", detail: "", openShards: this.stream.openShards.length, origin });
      landed?.();
    });
  }

  private refuse(action: string, reason: string, origin: ReshardEvent["origin"] = "timeline"): void {
    this.events.push({ atUs: this.sim.nowUs, askedUs: this.sim.nowUs, action, outcome: "refused", detail: reason, openShards: this.stream.openShards.length, origin });
  }
}
