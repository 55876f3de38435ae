// docs/design.md "Accounting must close", as one check for every system kind, used by the example tests
// and the property tests alike:
//   produced = accepted + dropped + pending                                   (per system)
//   accepted = consumed + inFlight + unread + expired + deadLettered + lost   (per consumer)
// Kinesis shards and Kafka partitions also add up to their system's accepted records. SQS fleets
// compete for one queue's messages, so there the fleets' terms add up to accepted together (and a
// lone fleet's alone).

import { expect } from "vitest";
import type { ConsumerResult, SystemResult } from "../../sim/metrics/index.ts";

export function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function expectCount(value: number, label: string): void {
  expect(Number.isInteger(value) && value >= 0, `${label} = ${value} is not a count`).toBe(true);
}

function consumerTerms(r: ConsumerResult["records"]): number {
  return r.consumed + r.inFlight + r.unread + r.expired + r.deadLettered + r.lost;
}

/**
 * Every identity of the system, term by term; `producedByWorkload` (the workload's records, when the
 * caller has them) must be what the system saw, since every system is offered the same records.
 */
export function expectAccountingCloses(system: SystemResult, producedByWorkload?: number): void {
  const { produced, accepted, dropped, pending, throttledAttempts } = system.records;
  for (const [term, value] of Object.entries(system.records)) expectCount(value, `${system.name} records.${term}`);
  for (const [term, value] of Object.entries(system.bytes)) expectCount(value, `${system.name} bytes.${term}`);
  expect(accepted + dropped + pending, `${system.name}: produced = accepted + dropped + pending`).toBe(produced);
  if (producedByWorkload !== undefined) expect(produced, `${system.name}: produced = the workload's records`).toBe(producedByWorkload);
  expect(system.producerLatency.count, `${system.name}: one producer latency per accepted record`).toBe(accepted);
  expect(system.bytes.accepted, `${system.name}: bytes accepted <= produced`).toBeLessThanOrEqual(system.bytes.produced);
  if (system.kind === "sqs" || system.kind === "firehose") {
    expect(system.partitions, `${system.name}: a queue or a Firehose stream has no partitions`).toEqual([]);
    // Firehose: its one consumer is the S3 delivery (consumed: delivered; unread: buffered; inFlight: being
    // written; deadLettered: backed up or in the error prefix), so records in = delivered + buffered + failed + dropped.
    if (system.kind === "firehose") expect(system.consumers.length, `${system.name}: one S3 delivery`).toBe(1);
  } else {
    expect(sum(system.partitions.map((p) => p.acceptedRecords)), `${system.name}: accepted = sum over partitions`).toBe(accepted);
  }
  // Kafka's partitions count a failed request once per partition it touched: not comparable.
  if (system.kind === "kinesis") expect(sum(system.partitions.map((p) => p.throttledAttempts)), `${system.name}: throttled = sum over shards`).toBe(throttledAttempts);
  for (const consumer of system.consumers) {
    const label = `${system.name}/${consumer.name}`;
    for (const [term, value] of Object.entries(consumer.records)) expectCount(value, `${label} records.${term}`);
    if (system.kind !== "sqs" || system.consumers.length === 1) {
      expect(consumerTerms(consumer.records), `${label}: accepted = consumed + inFlight + unread + expired + deadLettered + lost`).toBe(accepted);
    }
    // A Flink application: its subtasks processed every record consumed, again every record processed
    // again after a restart, and part of what is in flight. Records read again after a restart and still
    // in flight at the end are in neither term (consumed before, so not in flight; processed again only
    // when their batch completes): the upper bound holds without restarts, or once everything is read
    // and processed.
    const flink = consumer.flink;
    if (flink !== undefined) {
      const processed = sum(flink.subtasks.map((subtask) => subtask.records));
      const once = consumer.records.consumed + Math.round(flink.checkpoints.reprocessedRecords);
      expect(processed, `${label}: subtasks processed >= consumed + processed again`).toBeGreaterThanOrEqual(once);
      const replayMayBeInFlight = flink.checkpoints.restarts.length > 0 && consumer.records.inFlight + consumer.records.unread > 0;
      if (!replayMayBeInFlight) expect(processed, `${label}: subtasks processed <= consumed + processed again + in flight`).toBeLessThanOrEqual(once + consumer.records.inFlight);
    }
    // A Kinesis stream's Firehose consumer: what it read is delivered, buffered, being written or backed up.
    const firehose = consumer.firehose;
    if (firehose !== undefined) {
      expect(firehose.recordsDelivered + firehose.recordsBuffered + firehose.recordsInDelivery + firehose.recordsBackedUp, `${label}: read = delivered + buffered + in delivery + backed up`).toBe(firehose.recordsRead);
      expect(firehose.recordsDelivered, `${label}: consumed = delivered`).toBe(consumer.records.consumed);
      expect(firehose.recordsBackedUp, `${label}: deadLettered = backed up`).toBe(consumer.records.deadLettered);
    }
  }
  if (system.kind === "sqs" && system.consumers.length > 0) {
    expect(sum(system.consumers.map((c) => consumerTerms(c.records))), `${system.name}: accepted = the fleets' terms summed`).toBe(accepted);
  }
}

/** Every system of a run, each against the workload's records. */
export function expectRunAccountingCloses(result: { producers: Array<{ producedRecords: number }>; systems: SystemResult[] }): void {
  const producedByWorkload = sum(result.producers.map((producer) => producer.producedRecords));
  expect(result.systems.length, "a run simulates at least one system").toBeGreaterThan(0);
  for (const system of result.systems) expectAccountingCloses(system, producedByWorkload);
}
