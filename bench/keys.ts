// `npx tsx bench/keys.ts`: how fast the partition-key lab analyses a 1-million-line key file
// (read + hash + map + spread + advice + warnings, then the assignments CSV), on this machine.
// Two files: one million distinct keys, and one million lines over ~250k zipf-repeated keys.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeAssignments } from "../reports/keys/index.ts";
import { RandomStreams } from "../sim/engine/random.ts";
import { analyseKeys, keySetFromFile } from "../sim/keys/index.ts";

const lineCount = 1_000_000;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function benchFile(name: string, key: (line: number) => string, directory: string): void {
  const path = join(directory, `${name}.txt`);
  const lines = new Array<string>(lineCount);
  for (let i = 0; i < lineCount; i++) lines[i] = key(i);
  writeFileSync(path, `${lines.join("\n")}\n`);
  const start = process.hrtime.bigint();
  const read = keySetFromFile(path, { kinesisKeyLimit: true });
  if (!read.ok) throw new Error(read.errors.join("; "));
  const readSeconds = seconds(start);
  const analysis = analyseKeys(read.keySet, { kinesisShards: 10, kafkaPartitions: 12, load: { recordsPerSecond: 10_000, recordSizeBytes: 1024 } });
  const analyseSeconds = seconds(start) - readSeconds;
  writeAssignments(analysis, join(directory, `${name}-assignments.csv`));
  const total = seconds(start);
  const rssMb = process.memoryUsage().rss / 1e6;
  process.stdout.write(
    `${name.padEnd(34)} ${String(read.keySet.keys.length).padStart(8)} distinct  read ${readSeconds.toFixed(2)} s  analyse ${analyseSeconds.toFixed(2)} s  total with CSV ${total.toFixed(2)} s  rss ${rssMb.toFixed(0)} MB\n`,
  );
}

const directory = mkdtempSync(join(tmpdir(), "streamsim-bench-keys-"));
try {
  process.stdout.write(`streamsim keys bench (node ${process.version}), ${lineCount} lines each\n`);
  benchFile("1M distinct keys", (i) => `user-${String(i).padStart(7, "0")}`, directory);
  const u = new RandomStreams(7).stream("bench/keys");
  // Pareto-like repeats: floor(250000 · v^3) piles lines onto low ids.
  benchFile("1M lines, zipf-like repeats", () => `device-${Math.floor(250_000 * u() ** 3)}`, directory);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
