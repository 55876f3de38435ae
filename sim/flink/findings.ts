// Findings about a Flink consumer, from its result: a hot subtask (with its busiest key and key group,
// and whether more parallelism can help), and an application that falls behind (and why).

import { fallingBehind, type ConsumerResult, type Finding, type FlinkConsumerStats, type FlinkSubtaskStats } from "../metrics/index.ts";
import { flinkMessages as say, type HotKeyText } from "./messages.ts";

/** The busiest subtask is hot when it was busy at least this share of the time after warm-up (below it, skew costs nothing yet) ... */
const hotBusyMin = 0.8;
/** ... and it took at least this many times a fair share of the records (all about as loaded: the application is small, not skewed). */
const hotShareOverFair = 1.1;
/** Late records worth a finding: one in ten thousand read. */
const lateShareMin = 1e-4;
/** Duplicates after restarts worth a warning rather than a note: one in ten thousand consumed. */
const duplicateShareMin = 1e-4;

export function flinkConsumerFindings(consumer: ConsumerResult, window: { warmupUs: number; durationUs: number }, cycleUs: number): Finding[] {
  const stats = consumer.flink;
  if (stats === undefined) return [];
  const findings: Finding[] = [];
  const busiest = busiestSubtask(stats);
  const processed = stats.subtasks.reduce((total, subtask) => total + subtask.recordsAfterWarmup, 0);
  const share = processed > 0 ? busiest.recordsAfterWarmup / processed : 0;
  // Its fair share weighs each parallelism by the records processed at it (autoscaling changes it), as the Flink table does.
  const fair = busiest.fairShare;
  if (busiest.meanBusyAfterWarmup >= hotBusyMin && fair > 0 && share / fair >= hotShareOverFair) {
    const top = busiest.topKeys[0];
    const runSeconds = window.durationUs / 1e6;
    const key: HotKeyText | null =
      top === undefined || stats.keyRecordsTotal === 0
        ? null
        : { key: top.key, keyGroup: top.keyGroup, share: top.records / stats.keyRecordsTotal, load: top.records / runSeconds / busiest.capacityRecordsPerSecond };
    findings.push({
      severity: stats.backpressuredShare > 0.5 ? "critical" : "warning",
      code: "flink-hot-subtask",
      subject: `${consumer.name} subtask ${busiest.index}`,
      message: say.hotSubtask(consumer.name, busiest.index, share, fair, stats.parallelism, busiest.meanBusyAfterWarmup, stats.backpressuredShare, key),
      evidence: {
        subtask: busiest.index,
        recordsShare: round(share),
        fairShare: round(fair),
        busy: round(busiest.meanBusyAfterWarmup),
        backpressured: round(stats.backpressuredShare),
        ...(key === null ? {} : { key: key.key, keyGroup: key.keyGroup, keyShare: round(key.share), keyLoad: round(key.load), parallelismHelps: key.load < 1 && key.share <= 1 / stats.parallelism ? "yes" : "no" }),
      },
    });
  }
  const windows = stats.windows;
  const read = consumer.records.consumed + consumer.records.inFlight;
  if (windows !== undefined && windows.lateRecords > 0 && read > 0 && windows.lateRecords / read >= lateShareMin) {
    findings.push({
      severity: "warning",
      code: "flink-late-data-dropped",
      subject: consumer.name,
      message: say.lateData(consumer.name, windows.lateRecords, windows.lateRecords / read, windows.outOfOrdernessUs / 1000, windows.allowedLatenessUs / 1000),
      evidence: { lateRecords: windows.lateRecords, lateShare: roundShare(windows.lateRecords / read), outOfOrdernessMs: windows.outOfOrdernessUs / 1000, allowedLatenessMs: windows.allowedLatenessUs / 1000 },
    });
  }
  findings.push(...restartFindings(consumer.name, stats, consumer.records.duplicates, consumer.records.consumed));
  const windowSeconds = (window.durationUs - window.warmupUs) / 1e6;
  const behind = fallingBehind(consumer.lagSamples, window, { cycleUs, unread: consumer.records.unread, consumedPerSecond: consumer.records.consumed / windowSeconds });
  if (behind !== null) {
    findings.push({
      severity: "critical",
      code: "consumer-falling-behind",
      subject: consumer.name,
      message: say.fallingBehind(consumer.name, behind.finalLagMs, behind.growthMsPerSecond, busiest.index, busiest.meanBusyAfterWarmup, stats.backpressuredShare, stats.parallelismPerKpu),
      evidence: { finalLagMs: round(behind.finalLagMs), lagGrowthMsPerSecond: round(behind.growthMsPerSecond), unread: consumer.records.unread, busiestSubtask: busiest.index, backpressured: round(stats.backpressuredShare) },
    });
  }
  return findings;
}

/**
 * Restarts (docs/reference.md §8.6): what they cost (downtime, records processed again, duplicates);
 * and autoscaling thrash: scale-ups in a row that did not bring the CPU down (a hot key keeps one
 * subtask busy at any parallelism, so the rule doubles again and again, each time a restart).
 */
function restartFindings(name: string, stats: FlinkConsumerStats, duplicates: number, consumed: number): Finding[] {
  const { restarts, downtimeUs, reprocessedRecords } = stats.checkpoints;
  if (restarts.length === 0) return [];
  const findings: Finding[] = [];
  const ups = restarts.filter((restart) => restart.cause === "scale-up").length;
  const downs = restarts.filter((restart) => restart.cause === "scale-down").length;
  let upsInARow = 0;
  let longestUps = 0;
  for (const restart of restarts) {
    upsInARow = restart.cause === "scale-up" ? upsInARow + 1 : restart.cause === "scale-down" ? 0 : upsInARow;
    longestUps = Math.max(longestUps, upsInARow);
  }
  const evidence = { restarts: restarts.length, scaleUps: ups, scaleDowns: downs, downtimeSeconds: downtimeUs / 1e6, reprocessedRecords: Math.round(reprocessedRecords), duplicates, peakKpus: stats.peakKpus };
  if (longestUps >= thrashScaleUpsMin || (ups > 0 && downs > 0 && ups + downs >= thrashScaleUpsMin + 1)) {
    findings.push({ severity: "warning", code: "flink-autoscaling-thrash", subject: name, message: say.autoscalingThrash(name, ups, downs, longestUps, stats.peakKpus, downtimeUs / 1e6, stats.subtasks), evidence });
  }
  // Duplicates worth a warning: one in ten thousand consumed, as late records (a handful a scaling stop
  // re-reads from batches it cut short is said, not warned of).
  const severity = duplicates > 0 && duplicates >= duplicateShareMin * consumed ? "warning" : "info";
  findings.push({ severity, code: "flink-restarts", subject: name, message: say.restarts(name, restarts.length, ups, downs, downtimeUs / 1e6, reprocessedRecords, duplicates, stats.checkpoints.intervalUs / 1e6), evidence });
  return findings;
}

/** Scale-ups in a row (no scale-down between) that make thrash: each doubled the parallelism and the CPU rule still fired. */
const thrashScaleUpsMin = 3;

function busiestSubtask(stats: FlinkConsumerStats): FlinkSubtaskStats {
  let busiest = stats.subtasks[0]!;
  for (const subtask of stats.subtasks) if (subtask.recordsAfterWarmup > busiest.recordsAfterWarmup) busiest = subtask;
  return busiest;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** A share to six decimals: the late-data finding fires from 1e-4, so three decimals would show its share as 0. */
function roundShare(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
