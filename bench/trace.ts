// Trace reading speed and memory: a trace of timestamp,key,size rows (ISO 8601 times to the
// microsecond, zipf keys over 10,000 merchants) is generated at bench time, never committed. Figures:
// rows read per second (plain CSV and gzip), rows replayed per second through a producer stream (the
// key looked up and the reorder window applied), and the peak memory of a replay of the trace and of
// one ten times longer, each in a process of its own: memory follows the reorder window, not the trace.

import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { RandomStreams } from "../sim/engine/index.ts";
import { loadScenarioFile } from "../sim/scenario/index.ts";
import { ProducerStream, RecordBlock, zipfKeys } from "../sim/workload/index.ts";
import { TraceRows } from "../sim/workload/trace/index.ts";

const rowsPerChunk = 100_000;

/** Writes `rows` rows at 20,000 rows/s of trace time; gzip files are written as one member per chunk. */
export function writeBenchTrace(path: string, rows: number, gzip: boolean): void {
  const u = new RandomStreams(5).stream("bench/trace");
  const keys = zipfKeys({ cardinality: 10_000, exponent: 1.1, template: "merchant-{i}" });
  const startMs = Date.parse("2026-12-01T00:00:00Z");
  const fd = openSync(path, "w");
  let prefixSecond = -1;
  let prefix = "";
  try {
    for (let done = 0; done < rows; done += rowsPerChunk) {
      const lines: string[] = done === 0 ? ["timestamp,key,size\n"] : [];
      for (let i = done; i < Math.min(rows, done + rowsPerChunk); i++) {
        const us = i * 50 + Math.floor(u() * 40);
        const second = Math.floor(us / 1e6);
        // One toISOString per second of trace time: the rows of a second share their prefix.
        if (second !== prefixSecond) {
          prefixSecond = second;
          prefix = new Date(startMs + second * 1000).toISOString().slice(0, 19);
        }
        lines.push(`${prefix}.${String(us - second * 1e6).padStart(6, "0")}Z,${keys.keyAt(keys.sample(u))},${100 + Math.floor(u() * 900)}\n`);
      }
      const text = lines.join("");
      if (gzip) writeSync(fd, gzipSync(text, { level: 1 }));
      else writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
}

/** Rows per CPU second TraceRows reads (timestamp parsed, key and size taken); CPU time, as the machine is shared. */
export function benchTraceRead(path: string): { rows: number; seconds: number; rowsPerSecond: number } {
  const start = process.cpuUsage();
  const rows = new TraceRows(path, { format: "csv", columns: { time: "timestamp", key: "key", size: "size", value: null }, timeFormat: "iso8601" });
  let count = 0;
  while (rows.next()) count++;
  rows.close();
  const used = process.cpuUsage(start);
  const seconds = (used.user + used.system) / 1e6;
  return { rows: count, seconds, rowsPerSecond: count / seconds };
}

/** Loads a scenario replaying `trace` and drains its producer stream: records per CPU second and peak RSS of this process. */
export function replayTrace(directory: string, trace: string): { records: number; seconds: number; recordsPerSecond: number; peakRssMb: number } {
  const file = join(directory, `replay-${trace}.yaml`);
  writeFileSync(file, `name: bench-trace\nduration: 100d\nworkload:\n  - producer: p\n    trace: { path: ${trace}, reorderWindow: 50us }\n`);
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const scenario = loaded.scenario;
  const start = process.cpuUsage();
  const stream = new ProducerStream(scenario.producers[0], scenario, new RandomStreams(1));
  const block = new RecordBlock(8192);
  let records = 0;
  while (stream.fill(Infinity, block) > 0) records += block.count;
  const used = process.cpuUsage(start);
  const seconds = (used.user + used.system) / 1e6;
  return { records, seconds, recordsPerSecond: records / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** replayTrace in a child process, so its peak memory is its own. */
export function replayTraceProcess(directory: string, trace: string): ReturnType<typeof replayTrace> {
  const output = execFileSync(process.execPath, ["--import", "tsx", "bench/trace.ts", directory, trace], { encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").pop()!) as ReturnType<typeof replayTrace>;
}

// `npx tsx bench/trace.ts`: these figures alone; with DIRECTORY TRACE: one replay (the child process above).
if (process.argv[1]?.endsWith("bench/trace.ts")) {
  if (process.argv.length === 4) process.stdout.write(`${JSON.stringify(replayTrace(process.argv[2], process.argv[3]))}\n`);
  else {
    const directory = mkdtempSync(join(tmpdir(), "streamsim-bench-trace-"));
    try {
      writeBenchTrace(join(directory, "trace.csv"), 2_000_000, false);
      writeBenchTrace(join(directory, "trace.csv.gz"), 1_000_000, true);
      writeBenchTrace(join(directory, "trace10x.csv.gz"), 10_000_000, true);
      const mrows = (n: number) => `${(n / 1e6).toFixed(2)} M rows per CPU s`;
      process.stdout.write(`read CSV: ${mrows(benchTraceRead(join(directory, "trace.csv")).rowsPerSecond)}; gzip: ${mrows(benchTraceRead(join(directory, "trace.csv.gz")).rowsPerSecond)}\n`);
      for (const trace of ["trace.csv.gz", "trace10x.csv.gz"]) {
        const run = replayTraceProcess(directory, trace);
        process.stdout.write(`replay ${trace}: ${run.records} records, ${mrows(run.recordsPerSecond)}, peak RSS ${run.peakRssMb.toFixed(0)} MB\n`);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
}
