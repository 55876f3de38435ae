// --assignments: one CSV row per input key row, in input order (a key on several lines appears on
// each; template keys, which have no rows, once each in enumeration order), header
// key,kinesis_shard,kafka_partition (and flink_key_group,flink_subtask with --flink-parallelism), 0-based
// indexes; a target not analysed leaves its column empty.
// RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, its quotes doubled.

import { closeSync, openSync, writeSync } from "node:fs";
import type { KeyAnalysis } from "../../sim/keys/index.ts";

export const ASSIGNMENTS_HEADER = "key,kinesis_shard,kafka_partition";
const FLINK_COLUMNS = ",flink_key_group,flink_subtask";

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the CSV in chunks (a million keys stay a few MB of memory). Lines end in CRLF, as RFC 4180 writes them. */
export function writeAssignments(analysis: KeyAnalysis, path: string): void {
  const { keys, rowKeyIndexes } = analysis.keySet;
  const { kinesisShards, kafkaPartitions } = analysis.assignments;
  const rowCount = rowKeyIndexes?.length ?? keys.length;
  const fd = openSync(path, "w");
  try {
    const flink = analysis.flink;
    let chunk = `${ASSIGNMENTS_HEADER}${flink === null ? "" : FLINK_COLUMNS}\r\n`;
    for (let row = 0; row < rowCount; row++) {
      const i = rowKeyIndexes === undefined ? row : rowKeyIndexes[row];
      const flinkColumns = flink === null ? "" : `,${flink.keyGroupOfKey[i]},${flink.subtaskOfKey[i]}`;
      chunk += `${csvField(keys[i])},${kinesisShards === null ? "" : kinesisShards[i]},${kafkaPartitions === null ? "" : kafkaPartitions[i]}${flinkColumns}\r\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
