// Measures one producer's offered records: counts and bytes over time, record sizes, and how often
// each key is drawn. Used for the workload section of every run.

import type { Simulation } from "../engine/index.ts";
import { CounterSeries, LogHistogram } from "../metrics/index.ts";
import type { Scenario } from "../scenario/types.ts";
import { ProducerStream, RecordBlock, type KeySpace } from "../workload/index.ts";

export interface ProducerResult {
  name: string;
  producedRecords: number;
  producedBytes: number;
  /** Record sizes in bytes. */
  sizeHistogram: LogHistogram;
  capBytes: number;
  capSource: string;
  clippedRecords: number;
  keys: KeySpace;
  /** Records per key index; null when every record has its own key (UUIDs). */
  keyCounts: Float64Array | null;
  recordsSeries: CounterSeries;
  bytesSeries: CounterSeries;
}

const blockCapacity = 8192;
/** Whole record sizes below it (and at most the cap) are tallied by size, in at most 512 KiB, before they reach the size histogram. */
const smallSizeLimit = 65536;
const tickUs = 1_000_000;

/**
 * Measures a producer stream: either one of its own, driven by a tick every simulated second (when no
 * system consumes the workload), or, by `tapping`, the stream a system model already draws, so the
 * workload is generated once for both.
 */
export class WorkloadMeter {
  private readonly block = new RecordBlock(blockCapacity);
  private readonly result: ProducerResult;
  /** Records by whole size in bytes, below smallSizeLimit and at most the cap (observe). */
  private readonly smallSizes: Float64Array;

  constructor(private readonly stream: ProducerStream, scenario: Scenario) {
    const spec = stream.spec;
    const seriesOptions = { intervalUs: scenario.reportIntervalUs, endUs: scenario.durationUs };
    const cardinality = this.stream.keys.cardinality;
    this.smallSizes = new Float64Array(Math.min(smallSizeLimit, Math.floor(spec.recordSize.capBytes) + 1));
    this.result = {
      name: spec.name,
      producedRecords: 0,
      producedBytes: 0,
      sizeHistogram: new LogHistogram(),
      capBytes: spec.recordSize.capBytes,
      capSource: spec.recordSize.capSource,
      clippedRecords: 0,
      keys: this.stream.keys,
      keyCounts: Number.isFinite(cardinality) ? new Float64Array(cardinality) : null,
      recordsSeries: new CounterSeries(seriesOptions),
      bytesSeries: new CounterSeries(seriesOptions),
    };
  }

  /** Measures every block the stream hands out to whoever draws it. */
  tap(): void {
    this.stream.tap = (block) => this.observe(block);
  }

  /** Draws the stream itself: a tick every simulated second takes the records created during it. */
  start(sim: Simulation): void {
    const tick = (): void => {
      this.take(sim.nowUs + tickUs);
      if (this.stream.peekTimeUs() !== Infinity) sim.after(tickUs, tick);
    };
    sim.at(0, tick);
  }

  finish(): ProducerResult {
    const smallSizes = this.smallSizes;
    for (let size = 0; size < smallSizes.length; size++) if (smallSizes[size]! > 0) this.result.sizeHistogram.add(size, smallSizes[size]!);
    smallSizes.fill(0);
    this.result.clippedRecords = this.stream.clippedCount;
    this.result.recordsSeries.finish();
    this.result.bytesSeries.finish();
    return this.result;
  }

  private take(untilUs: number): void {
    while (this.stream.fill(untilUs, this.block) > 0) this.observe(this.block);
  }

  /**
   * Counts a block. Records arrive in time order, so series are added once per simulated second, not
   * once per record, and equal consecutive sizes once per run of them; whole sizes below smallSizeLimit
   * are tallied in an array that reaches the histogram at the end, a call per size (the same
   * histogram: its sums are whole numbers, exact in any order).
   */
  private observe(block: RecordBlock): void {
    const result = this.result;
    const { keyCounts, recordsSeries, bytesSeries } = result;
    const { timeUs, sizeBytes, keyIndex, count } = block;
    let secondStartUs = timeUs[0];
    let secondEndUs = (Math.floor(secondStartUs / 1e6) + 1) * 1e6;
    let secondRecords = 0;
    let secondBytes = 0;
    let runSize = sizeBytes[0];
    let runCount = 0;
    let blockBytes = 0;
    for (let i = 0; i < count; i++) {
      const size = sizeBytes[i];
      if (timeUs[i] >= secondEndUs) {
        recordsSeries.add(secondStartUs, secondRecords);
        bytesSeries.add(secondStartUs, secondBytes);
        secondStartUs = timeUs[i];
        secondEndUs = (Math.floor(secondStartUs / 1e6) + 1) * 1e6;
        secondRecords = 0;
        secondBytes = 0;
      }
      secondRecords++;
      secondBytes += size;
      blockBytes += size;
      if (size !== runSize) {
        this.tallySize(runSize, runCount);
        runSize = size;
        runCount = 0;
      }
      runCount++;
      if (keyCounts !== null) keyCounts[keyIndex[i]]++;
    }
    recordsSeries.add(secondStartUs, secondRecords);
    bytesSeries.add(secondStartUs, secondBytes);
    this.tallySize(runSize, runCount);
    result.producedBytes += blockBytes;
    result.producedRecords += count;
  }

  private tallySize(size: number, count: number): void {
    if (size < this.smallSizes.length && size === Math.floor(size)) this.smallSizes[size] += count;
    else this.result.sizeHistogram.add(size, count);
  }
}
