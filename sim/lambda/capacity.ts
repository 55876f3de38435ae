// What one ordered lane of an event source mapping (a Kinesis shard's lane, a Kafka partition) processes
// while a backlog keeps it busy: one full batch at a time, each taking the function's duration for a full
// batch. The measured mean duration is not that figure: it averages in partial batches (a batching window,
// a lane that had caught up) and cold starts, so batch size / mean duration overstates what a lane does.

import type { LambdaFunctionSpec } from "../scenario/lambda-schema.ts";
import { invocationPayloadBytesMax, invocationUsMin } from "./limits.ts";

export interface FullBatch {
  /** Records in a full batch: batchSize, or fewer when the 6 MB payload fills first at the mean record size. */
  records: number;
  payloadLimited: boolean;
  /** A warm invocation of a full batch: perBatch + perRecord x records (the mean when the duration is exponential). */
  durationMs: number;
  /** records / duration: one batch at a time, back to back. */
  recordsPerSecond: number;
}

/** A full batch of `batchSize` records (fewer if `meanRecordBytes` fill the payload first) and what a lane processes with it. */
export function fullBatch(fn: LambdaFunctionSpec, batchSize: number, meanRecordBytes: number): FullBatch {
  const payloadRecords = meanRecordBytes > 0 ? Math.max(1, Math.floor(invocationPayloadBytesMax / meanRecordBytes)) : batchSize;
  const records = Math.min(batchSize, payloadRecords);
  const durationUs = Math.max(invocationUsMin, fn.duration.perBatch + fn.duration.perRecord * records);
  return { records, payloadLimited: records < batchSize, durationMs: durationUs / 1000, recordsPerSecond: (records * 1e6) / durationUs };
}

const count = (value: number): string => Math.round(value).toLocaleString("en-US");
const ms = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(1)} s` : value >= 10 ? `${value.toFixed(0)} ms` : `${Number(value.toPrecision(2))} ms`);

/** "a full batch of 100 records takes 350 ms (50 ms + 3 ms per record)": the sources' findings cite it before their capacity. */
export function fullBatchText(batch: FullBatch, fn: LambdaFunctionSpec, batchSize: number): string {
  const perBatchMs = fn.duration.perBatch / 1000;
  const perRecordMs = fn.duration.perRecord / 1000;
  const cost = [perBatchMs > 0 ? ms(perBatchMs) : "", perRecordMs > 0 ? `${ms(perRecordMs)} per record` : ""].filter((part) => part !== "").join(" + ");
  const exponential = fn.duration.distribution === "exponential";
  const size = batch.payloadLimited ? `about ${count(batch.records)} records (the 6 MB payload at the mean record size, below batchSize ${count(batchSize)})` : `${count(batch.records)} record${batch.records === 1 ? "" : "s"}`;
  const why = cost === "" ? "the 1 ms minimum" : `${cost}${exponential ? ", exponential" : ""}`;
  return `a full batch of ${size} takes ${ms(batch.durationMs)}${exponential ? " on average" : ""} (${why})`;
}
