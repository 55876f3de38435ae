// Brokers, partitions and group positions check their own state: each test breaks one rule directly
// on the component and expects the InvariantError naming it.

import { describe, expect, it } from "vitest";
import { InvariantError } from "../../sim/engine/index.ts";
import { Broker } from "../../sim/kafka/broker.ts";
import { Cursor } from "../../sim/kafka/cursor.ts";
import { Partition } from "../../sim/kafka/partition.ts";

const seriesOptions = { intervalUs: 1_000_000, endUs: 60_000_000 };
const capacity = { networkInBytesPerSecond: 1e8, networkOutBytesPerSecond: 1e8, diskWriteBytesPerSecond: 1e8, requestHandlingUs: 100 };

const partitionSettings = {
  segments: { segmentBytes: 250, segmentAgeUs: 604_800_000_000, retentionUs: 1_000, retentionBytes: undefined },
  uncleanLeaderElection: false,
  minInsyncForWrites: 0,
};
const partitionOf = (): Partition => new Partition(0, "orders", [0, 1, 2], seriesOptions, partitionSettings);

describe("Kafka broker", () => {
  it("fails and recovers by its verbs, remembering when it went down", () => {
    const broker = new Broker(0, capacity, seriesOptions);
    broker.fail(5_000);
    expect(broker.up).toBe(false);
    expect(broker.downAtUs).toBe(5_000);
    broker.recover();
    expect(broker.up).toBe(true);
    expect(broker.downAtUs).toBe(5_000);
  });

  it("refuses to go down twice or come back while running", () => {
    const broker = new Broker(0, capacity, seriesOptions);
    expect(() => broker.recover()).toThrow(/only a broker that is down comes back/);
    broker.fail(1);
    expect(() => broker.fail(2)).toThrow(/only a running broker goes down/);
  });
});

describe("Kafka partition", () => {
  it("hands out offsets in order and commits only what its log holds", () => {
    const partition = partitionOf();
    expect(partition.append(1_000, 3, 300, 900, 2_700)).toBe(0);
    expect(partition.append(2_000, 2, 200, 1_900, 3_800)).toBe(3);
    partition.commit(5, 5, 500, 2_000);
    expect(partition.committedSeq).toBe(5);
    expect(() => partition.commit(6, 1, 100, 2_000)).toThrow(/only records in the log are committed/);
  });

  it("makes a batch acknowledged before an earlier one readable only when the earlier one is", () => {
    // acks=all answers a request when the high watermark passes all its batches, so a later request's
    // batch of the same partition can be acknowledged first; consumers must not read past the gap, or
    // they would read records the producer still counts as pending.
    const partition = partitionOf();
    partition.append(1_000, 3, 300, 900, 2_700);
    partition.append(2_000, 2, 200, 1_900, 3_800);
    partition.append(3_000, 4, 400, 2_900, 11_600);
    partition.commit(9, 4, 400, 3_000);
    partition.commit(5, 2, 200, 3_000);
    expect(partition.committedSeq).toBe(0);
    expect(partition.committedAheadRecords).toBe(6);
    partition.commit(3, 3, 300, 3_500);
    expect(partition.committedSeq).toBe(9);
    expect(partition.committedAheadRecords).toBe(0);
    expect(partition.acceptedRecords).toBe(9);
  });

  it("refuses an append earlier than the last one (arrival order)", () => {
    const partition = partitionOf();
    partition.append(2_000, 1, 100, 1_000, 1_000);
    expect(() => partition.append(1_000, 1, 100, 900, 900)).toThrow(/a log takes runs in arrival order/);
  });

  it("refuses an empty batch", () => {
    expect(() => partitionOf().append(1_000, 0, 0, 0, 0)).toThrow(/a run holds at least one record/);
  });

  it("schedules appends in the order batches were sent", () => {
    const partition = partitionOf();
    partition.scheduleAppend(10_000);
    partition.scheduleAppend(10_000);
    expect(partition.lastAppendUs).toBe(10_000);
    expect(() => partition.scheduleAppend(9_999)).toThrow(/appended in the order they were sent/);
  });

  it("deletes whole closed segments past retention, only below the readable offset", () => {
    const partition = partitionOf();
    partition.append(1_000, 2, 200, 900, 1_800);
    partition.append(5_000, 2, 200, 4_900, 9_800);
    partition.commit(4, 4, 400, 5_000);
    // The second batch would pass 250 bytes: it rolled a segment at offset 2.
    partition.deleteOldSegments(2_500, 4);
    expect(partition.expiredSeq).toBe(2);
    expect(partition.storedBytes).toBe(200);
    partition.deleteOldSegments(7_000, 3);
    expect(partition.expiredSeq).toBe(2);
  });

  it("counts offline and under-replicated time by its own state", () => {
    const partition = partitionOf();
    partition.countAvailability(false, 1_000_000);
    partition.countAvailability(true, 1_000_000);
    expect(partition.offlineUs).toBe(1_000_000);
    expect(partition.underReplicatedUs).toBe(0);
    partition.fence(2, 0);
    partition.countAvailability(true, 1_000_000);
    expect(partition.underReplicatedUs).toBe(1_000_000);
  });

  it("counts failed attempts", () => {
    const partition = partitionOf();
    partition.countFailed(1_000, 7);
    expect(partition.failedAttempts).toBe(7);
    expect(partition.series.throttledAttempts.total).toBe(7);
  });
});

describe("Kafka group position", () => {
  it("fetches forward, processes within the log, and commits forward", () => {
    const cursor = new Cursor(seriesOptions);
    cursor.fetched(10);
    expect(() => cursor.fetched(10)).toThrow(/a fetch moves its position forward/);
    expect(() => cursor.processed(11, 10)).toThrow(/processes only records in the log/);
    cursor.processed(10, 10);
    cursor.commit();
    expect(cursor.committedSeq).toBe(10);
    // A leader's truncation brings every position back together, so a commit still only moves forward.
    cursor.truncateTo(4);
    expect([cursor.fetchedSeq, cursor.processedSeq, cursor.committedSeq]).toEqual([4, 4, 4]);
    cursor.commit();
    // Retention moves a position forward only, and carries the processed and committed offsets with it.
    expect(() => cursor.skipTo(4)).toThrow(InvariantError);
    expect(() => cursor.skipTo(3)).toThrow(/retention moves a fetch position forward/);
    cursor.skipTo(8);
    expect([cursor.fetchedSeq, cursor.processedSeq, cursor.committedSeq]).toEqual([8, 8, 8]);
    // A new owner fetches again from the committed offset.
    cursor.fetched(12);
    cursor.resumeFromCommitted();
    expect(cursor.fetchedSeq).toBe(8);
  });
});
