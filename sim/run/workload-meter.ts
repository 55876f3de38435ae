// Measures one producer's offered records: counts and bytes over time, record sizes, and how often
// each key is drawn. Used for the workload section of every run.

import type { RandomStreams, Simulation } from "../engine/index.ts";
import { CounterSeries, LogHistogram } from "../metrics/index.ts";
import type { ProducerSpec, Scenario } from "../scenario/types.ts";
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
const tickUs = 1_000_000;

export class WorkloadMeter {
  private readonly stream: ProducerStream;
  private readonly block = new RecordBlock(blockCapacity);
  private readonly result: ProducerResult;

  constructor(spec: ProducerSpec, scenario: Scenario, streams: RandomStreams) {
    this.stream = new ProducerStream(spec, scenario, streams);
    const seriesOptions = { intervalUs: scenario.reportIntervalUs, endUs: scenario.durationUs };
    const cardinality = this.stream.keys.cardinality;
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

  /** Schedules a tick every simulated second that takes the records created during it. */
  start(sim: Simulation): void {
    const tick = (): void => {
      this.take(sim.nowUs + tickUs);
      if (this.stream.peekTimeUs() !== Infinity) sim.after(tickUs, tick);
    };
    sim.at(0, tick);
  }

  finish(): ProducerResult {
    this.result.clippedRecords = this.stream.clippedCount;
    this.result.recordsSeries.finish();
    this.result.bytesSeries.finish();
    return this.result;
  }

  private take(untilUs: number): void {
    const { block, result } = this;
    const { keyCounts, sizeHistogram, recordsSeries, bytesSeries } = result;
    while (this.stream.fill(untilUs, block) > 0) {
      for (let i = 0; i < block.count; i++) {
        const sizeBytes = block.sizeBytes[i];
        const timeUs = block.timeUs[i];
        recordsSeries.add(timeUs, 1);
        bytesSeries.add(timeUs, sizeBytes);
        sizeHistogram.add(sizeBytes);
        if (keyCounts !== null) keyCounts[block.keyIndex[i]]++;
        result.producedBytes += sizeBytes;
      }
      result.producedRecords += block.count;
    }
  }
}
