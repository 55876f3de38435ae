// A producer's offered record sequence, generated in blocks (struct of arrays, no per-record
// objects). Every system of a scenario gets its own ProducerStream built from the same named random
// streams, so all of them see the identical sequence (common random numbers) without storing it.

import type { RandomStreams, Uniform } from "../engine/index.ts";
import type { KeysSpec, ProducerSpec, Scenario } from "../scenario/types.ts";
import {
  compositeKeys,
  dailyKeys,
  fileKeys,
  fixedKey,
  noKeys,
  hotspotKeys,
  uniformKeys,
  uuidKeys,
  weightedKeys,
  zipfKeys,
  type KeySpace,
} from "./keys/index.ts";
import { ArrivalClock } from "./rate.ts";
import { sizeSampler, type SizeSampler } from "./sizes.ts";
import { TraceReplay, traceKeys } from "./trace/index.ts";

/** A reusable block of records in creation order. */
export class RecordBlock {
  count = 0;
  readonly timeUs: Float64Array;
  readonly keyIndex: Float64Array;
  readonly sizeBytes: Float64Array;

  constructor(readonly capacity: number) {
    this.timeUs = new Float64Array(capacity);
    this.keyIndex = new Float64Array(capacity);
    this.sizeBytes = new Float64Array(capacity);
  }
}

export class ProducerStream {
  readonly keys: KeySpace;
  private readonly sizes: SizeSampler;
  private readonly clock: ArrivalClock;
  private readonly arrivalsU: Uniform;
  private readonly sizesU: Uniform;
  private readonly keysU: Uniform;
  private readonly poisson: boolean;
  private readonly endUs: number;
  /** Called with every block filled (a workload meter watching the stream a model draws). */
  tap: ((block: RecordBlock) => void) | null = null;
  /** Creation time of the next record not yet handed out (Infinity when the profile is over). */
  private nextTimeUs: number;
  /** The replay when the producer replays a trace (then nothing is drawn from the rate, sizes or keys). */
  private readonly replay: TraceReplay | null;
  private readonly capBytes: number;
  private traceClipped = 0;

  constructor(readonly spec: ProducerSpec, scenario: Pick<Scenario, "startEpochMs" | "durationUs">, streams: RandomStreams) {
    const prefix = `workload/${spec.name}`;
    this.arrivalsU = streams.stream(`${prefix}/arrivals`);
    this.sizesU = streams.stream(`${prefix}/sizes`);
    this.keysU = streams.stream(`${prefix}/keys`);
    this.keys = keySpace(spec.keys, scenario, prefix, streams.seed);
    this.sizes = sizeSampler(spec.recordSize);
    this.clock = new ArrivalClock(spec.rate);
    this.poisson = spec.rate.arrivals === "poisson";
    this.endUs = scenario.durationUs;
    this.capBytes = spec.recordSize.capBytes;
    this.replay = spec.trace === undefined ? null : new TraceReplay(spec.trace, scenario.durationUs, streams.stream(`${prefix}/trace-scale`));
    this.nextTimeUs = this.replay === null ? this.nextArrival() : this.replay.peekTimeUs();
  }

  get clippedCount(): number {
    return this.sizes.clippedCount + this.traceClipped;
  }

  /** Time of the next record this stream will hand out; Infinity when there is none. */
  peekTimeUs(): number {
    return this.nextTimeUs;
  }

  /** Fills `block` with the records created before `untilUs` (at most its capacity); returns the count. */
  fill(untilUs: number, block: RecordBlock): number {
    if (this.replay !== null) return this.fillFromTrace(this.replay, untilUs, block);
    const { timeUs, keyIndex, sizeBytes, capacity } = block;
    let count = 0;
    let t = this.nextTimeUs;
    while (t < untilUs && count < capacity) {
      timeUs[count++] = t;
      t = this.nextArrival();
    }
    this.nextTimeUs = t;
    // Keys and sizes draw from streams of their own: drawn after the block's times, each stream gives
    // the same numbers to the same records as drawing record by record.
    const keys = this.keys;
    if (keys.keyForTime !== undefined) for (let i = 0; i < count; i++) keyIndex[i] = keys.keyForTime(timeUs[i]);
    else for (let i = 0; i < count; i++) keyIndex[i] = keys.sample(this.keysU);
    const sizes = this.sizes;
    for (let i = 0; i < count; i++) sizeBytes[i] = sizes.sample(this.sizesU);
    block.count = count;
    if (count > 0 && this.tap !== null) this.tap(block);
    return count;
  }

  /** Fills from the trace; sizes above the cap are clipped to it and counted, as drawn sizes are. */
  private fillFromTrace(replay: TraceReplay, untilUs: number, block: RecordBlock): number {
    const count = replay.fill(untilUs, block.timeUs, block.keyIndex, block.sizeBytes, 0, block.capacity);
    const sizes = block.sizeBytes;
    for (let i = 0; i < count; i++) {
      if (sizes[i] > this.capBytes) {
        sizes[i] = this.capBytes;
        this.traceClipped++;
      }
    }
    this.nextTimeUs = replay.peekTimeUs();
    block.count = count;
    if (count > 0 && this.tap !== null) this.tap(block);
    return count;
  }

  /**
   * Integer creation time of the next arrival: the continuous time rounded down to a microsecond.
   * Records are created in [0, durationUs); Infinity once the run's time is used up.
   */
  private nextArrival(): number {
    const step = this.poisson ? -Math.log(1 - this.arrivalsU()) : 1;
    const timeUs = Math.floor(this.clock.advance(step));
    return timeUs < this.endUs ? timeUs : Infinity;
  }
}

function keySpace(keys: KeysSpec, scenario: Pick<Scenario, "startEpochMs" | "durationUs">, prefix: string, seed: number): KeySpace {
  switch (keys.distribution) {
    case "uniform":
      return uniformKeys(keys);
    case "zipf":
      return zipfKeys(keys);
    case "hotspot":
      return hotspotKeys(keys);
    case "fixed":
      return fixedKey(keys);
    case "weighted":
      return weightedKeys({ keys: keys.keys.map((k) => k.key), weights: keys.keys.map((k) => k.weight) });
    case "daily":
      return dailyKeys({ startEpochMs: scenario.startEpochMs, durationUs: scenario.durationUs });
    case "none":
      return noKeys();
    case "uuid":
      return uuidKeys({ seedTag: `${seed}/${prefix}` });
    case "composite":
      return compositeKeys({ template: keys.template, fields: keys.fields });
    case "file":
      return fileKeys({ keys: keys.keys, counts: keys.counts });
    case "trace":
      return traceKeys(keys);
  }
}
