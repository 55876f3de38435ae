// Every sentence the Flink model says in its findings: the cause, and what to do about it.

const pct = (fraction: number): string => (fraction > 0 && fraction < 0.01 ? `${(fraction * 100).toPrecision(2)}%` : `${(fraction * 100).toFixed(1)}%`);
const duration = (ms: number): string =>
  ms >= 7_200_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;

export interface HotKeyText {
  key: string;
  keyGroup: number;
  share: number;
  /** The key's records/s over one subtask's capacity. */
  load: number;
}

const fix = "Pre-aggregate before keyBy (a local combine), or salt the key and merge the partial results in a second keyBy.";

export const flinkMessages = {
  hotSubtask: (consumer: string, subtask: number, share: number, fair: number, parallelism: number, busy: number, backpressured: number, key: HotKeyText | null) =>
    `Subtask ${subtask} of ${consumer} processed ${pct(share)} of the records (its fair share is ${pct(fair)}) and was busy ${pct(busy)} of the time` +
    (backpressured > 0.01 ? `; it backpressured the source ${pct(backpressured)} of the time, so every subtask waits for it. ` : ". ") +
    (key === null
      ? "Check where its keys land with streamsim keys --flink-parallelism."
      : key.load >= 1
        ? `Its busiest key "${key.key}" (key group ${key.keyGroup}, ${pct(key.share)} of the records) alone needs ${pct(key.load)} of a subtask's capacity: no parallelism can help, since every record of a key goes to one key group and so to one subtask. ${fix}`
        : key.share > 1 / parallelism
          ? `Its busiest key "${key.key}" (key group ${key.keyGroup}) alone carries ${pct(key.share)} of the records, more than a subtask's fair share: more parallelism lightens its subtask only down to that key's ${pct(key.load)} of a subtask's capacity. ${fix}`
          : `Its busiest key "${key.key}" (key group ${key.keyGroup}) carries ${pct(key.share)} of the records (${pct(key.load)} of a subtask's capacity): the subtask holds several busy key groups, which more parallelism spreads; check the spread with streamsim keys --flink-parallelism.`),
  lateData: (consumer: string, late: number, share: number, outOfOrdernessMs: number, allowedLatenessMs: number) =>
    `${consumer} dropped ${Math.round(late).toLocaleString("en-US")} late records (${pct(share)} of those it read): their window had fired before they arrived, because the watermark had passed their window's end plus the allowed lateness (${duration(allowedLatenessMs)}); the watermark is the newest event time read from the slowest shard or partition, less the out-of-orderness bound (${duration(outOfOrdernessMs)}). ` +
    "Raise outOfOrderness (every window's result then comes that much later) or allowedLateness (late records update results already emitted), or send late records to a side output.",
  autoscalingThrash: (consumer: string, ups: number, downs: number, upsInARow: number, peakKpus: number, downtimeSeconds: number, subtasks: ReadonlyArray<{ meanBusyAfterWarmup: number }>) =>
    `${consumer} was scaled ${ups} time${ups === 1 ? "" : "s"} up and ${downs} time${downs === 1 ? "" : "s"} down (${upsInARow} scale-ups in a row, up to ${peakKpus} KPUs), each a restart: ${downtimeSeconds.toFixed(0)} s without processing in all. ` +
    (upsInARow >= 3
      ? `The CPU stayed at or above 75% after each doubling, so the rule fired again: when one subtask is busy because of a hot key (busiest subtask busy ${pct(Math.max(...subtasks.map((s) => s.meanBusyAfterWarmup)))} of the time), more parallelism does not lower its load. Fix the skew (pre-aggregate, salt the key), or turn autoscaling off and size the parallelism by hand.`
      : "The load swings across the rule's thresholds (75% for 15 minutes up, 10% for six hours down): set the parallelism for the peak, or accept the restarts and their replays."),
  restarts: (consumer: string, restarts: number, ups: number, downs: number, downtimeSeconds: number, reprocessed: number, duplicates: number, intervalSeconds: number) =>
    `${consumer} restarted ${restarts} time${restarts === 1 ? "" : "s"}${ups + downs > 0 ? ` (${ups + downs} by autoscaling)` : ""}: ${downtimeSeconds.toFixed(0)} s down in all, and ${Math.round(reprocessed).toLocaleString("en-US")} records processed again from ${ups + downs > 0 ? "the last checkpoint or scaling snapshot" : "the last checkpoint"}` +
    (duplicates > 0 ? `, each a duplicate at its at-least-once sink. Make the sink idempotent or exactly-once, or checkpoint more often than every ${intervalSeconds} s (a restart re-reads half an interval on average).` : reprocessed > 0 ? " (its exactly-once sink emitted no duplicates)." : "."),
  fallingBehind: (consumer: string, lagMs: number, growthMsPerSecond: number, subtask: number, busy: number, backpressured: number, parallelismPerKpu: number) =>
    `${consumer} falls behind without recovering: its lag was ${duration(lagMs)} at the end and grew by ${growthMsPerSecond.toFixed(0)} ms per second. ` +
    (backpressured > 0.01
      ? `Its busiest subtask (${subtask}, busy ${pct(busy)} of the time) backpressured the source ${pct(backpressured)} of the time, so the source read no faster than that subtask processed: see flink-hot-subtask, or give each subtask more CPU (${parallelismPerKpu > 1 ? "parallelismPerKpu 1, " : ""}a cheaper per-record step).`
      : "Its source cannot read as fast as records arrive: raise the poll rate or maxRecords, or use enhanced fan-out."),
} as const;
