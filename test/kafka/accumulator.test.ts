import { describe, expect, it } from "vitest";
import { RecordAccumulator, type DrainedRequest } from "../../sim/kafka/accumulator.ts";

function accumulator(
  basePolicy: { lingerUs: number; batchSizeBytes: number; maxRequestBytes: number; bufferMemoryBytes?: number; deliveryTimeoutUs?: number },
  partitions = 4,
  nodes = 2,
  canSend: (node: number) => boolean = () => true,
) {
  const policy = { bufferMemoryBytes: 32 * 1024 * 1024, deliveryTimeoutUs: 120_000_000, ...basePolicy };
  const requests: Array<{ node: number; sendUs: number; partitions: number[]; counts: number[]; times: number[][] }> = [];
  const onRequest = (request: DrainedRequest): void => {
    requests.push({
      node: request.node,
      sendUs: request.sendUs,
      partitions: request.batches.map((batch) => batch.partition),
      counts: request.batches.map((batch) => batch.count),
      times: request.batches.map((batch) => Array.from(batch.timeUs.subarray(0, batch.count))),
    });
  };
  return { acc: new RecordAccumulator(policy, partitions, nodes, onRequest, canSend), requests };
}

describe("the record accumulator groups batches into requests per leader broker (Java's ready/drain)", () => {
  it("a node is ready linger after its first waiting record, and then sends every partition's batch it leads", () => {
    const { acc, requests } = accumulator({ lingerUs: 5000, batchSizeBytes: 16_384, maxRequestBytes: 1_048_576 });
    acc.add(1000, 0, 0, 100, 90); // node 0 ready at 6000
    acc.add(2000, 1, 0, 100, 90); // same node: joins the same request, its own linger is not waited for
    acc.add(3000, 2, 1, 100, 90); // node 1 ready at 8000
    acc.add(5999, 0, 0, 100, 90);
    acc.add(6000, 1, 0, 100, 90); // node 0's ready time has come: drained first, this record waits for the next request
    expect(requests).toEqual([{ node: 0, sendUs: 6000, partitions: [0, 1], counts: [2, 1], times: [[1000, 5999], [2000]] }]);
    acc.flushUntil(20_000);
    expect(requests.slice(1)).toEqual([
      { node: 0, sendUs: 11_000, partitions: [1], counts: [1], times: [[6000]] },
      { node: 1, sendUs: 8000, partitions: [2], counts: [1], times: [[3000]] },
    ]);
    expect(acc.waitingCount).toBe(0);
  });

  it("a full batch (batch.size) makes its node ready at once, with the other partitions' open batches", () => {
    const { acc, requests } = accumulator({ lingerUs: 100_000, batchSizeBytes: 1000, maxRequestBytes: 1_048_576 });
    acc.add(10, 3, 1, 400, 390);
    acc.add(20, 2, 1, 600, 590);
    acc.add(30, 2, 1, 600, 590); // does not fit in partition 2's batch: it closes, node 1 is ready at 30
    acc.add(40, 3, 1, 100, 90); // node 1 drains at 30 before this record joins
    expect(requests).toEqual([{ node: 1, sendUs: 30, partitions: [3, 2, 2], counts: [1, 1, 1], times: [[10], [20], [30]] }]);
    expect(acc.waitingCount).toBe(1);
  });

  it("max.request.size splits a drain into several requests, none above it unless one batch alone is", () => {
    const { acc, requests } = accumulator({ lingerUs: 1000, batchSizeBytes: 10_000, maxRequestBytes: 2500 }, 4, 1);
    for (let partition = 0; partition < 4; partition++) acc.add(partition, partition, 0, 1000, 990);
    acc.flushUntil(5000);
    expect(requests.map((request) => request.partitions)).toEqual([[0, 1], [2, 3]]);
    expect(requests.every((request) => request.sendUs === 1000)).toBe(true);
  });

  it("linger 0: every record is its own request, even at the same microsecond", () => {
    const { acc, requests } = accumulator({ lingerUs: 0, batchSizeBytes: 16_384, maxRequestBytes: 1_048_576 }, 1, 1);
    acc.add(5, 0, 0, 10, 1);
    acc.add(5, 0, 0, 10, 1);
    acc.add(9, 0, 0, 10, 1);
    acc.flushUntil(10);
    expect(requests.map((request) => [request.sendUs, request.counts[0]])).toEqual([[5, 1], [5, 1], [9, 1]]);
  });
});

describe("a node that cannot take a request is not drained: its batches keep filling (Sender.sendProducerData, RecordAccumulator.tryAppend)", () => {
  it("past linger, a held node's batch takes records until batch.size; full batches are handed on alone, the open one waits", () => {
    let up = false;
    const { acc, requests } = accumulator({ lingerUs: 1000, batchSizeBytes: 1000, maxRequestBytes: 1_048_576 }, 2, 2, (node) => node !== 1 || up);
    for (let i = 0; i < 12; i++) acc.add(i * 1000, 0, 1, 200, 190); // 5 records fill a batch; linger passes many times over
    acc.flushUntil(12_000);
    // Two full batches of 5 were handed on (each alone, when the next record did not fit); 2 records wait.
    expect(requests.map((request) => [request.node, request.sendUs, request.counts])).toEqual([
      [1, 5000, [5]],
      [1, 10_000, [5]],
    ]);
    expect(acc.waitingCount).toBe(2);
    // The old drain closed a batch of about one record at each linger: here none left short of batch.size.
    up = true;
    acc.leaderAvailable(0, 11_500);
    expect(requests.at(-1)).toEqual({ node: 1, sendUs: 11_500, partitions: [0], counts: [2], times: [[10_000, 11_000]] });
    expect(acc.waitingCount).toBe(0);
  });

  it("a released batch never leaves before its last record was handed over (records are added ahead)", () => {
    const { acc, requests } = accumulator({ lingerUs: 1000, batchSizeBytes: 10_000, maxRequestBytes: 1_048_576 }, 1, 2, (node) => node !== 1);
    acc.add(100, 0, 1, 200, 190);
    acc.add(90_000, 0, 1, 200, 190);
    acc.flushUntil(100_000);
    expect(requests).toEqual([]);
    acc.leaderAvailable(0, 50_000);
    expect(requests.map((request) => [request.sendUs, request.counts])).toEqual([[90_000, [2]]]);
  });

  it("a record whose partition now has a leader that can send takes the held batch with it", () => {
    const { acc, requests } = accumulator({ lingerUs: 1000, batchSizeBytes: 10_000, maxRequestBytes: 1_048_576 }, 1, 3, (node) => node !== 2);
    acc.add(100, 0, 2, 200, 190); // node 2: no leader
    acc.flushUntil(5000);
    acc.add(6000, 0, 0, 200, 190); // elected on node 0: the held batch goes first, this record opens the next
    acc.flushUntil(10_000);
    expect(requests.map((request) => [request.node, request.sendUs, request.counts])).toEqual([
      [2, 6000, [1]],
      [0, 7000, [1]],
    ]);
  });

  it("an open batch held past delivery.timeout.ms is handed on at its timeout (the producer drops it)", () => {
    const { acc, requests } = accumulator({ lingerUs: 1000, batchSizeBytes: 10_000, maxRequestBytes: 1_048_576, deliveryTimeoutUs: 50_000 }, 1, 2, (node) => node !== 1);
    acc.add(100, 0, 1, 200, 190);
    acc.flushUntil(40_000);
    expect(requests).toEqual([]);
    acc.flushUntil(60_000);
    expect(requests.map((request) => [request.sendUs, request.counts])).toEqual([[50_100, [1]]]);
    expect(acc.waitingCount).toBe(0);
  });

  it("a batch takes buffer.memory of batch.size when created, so held batches that fill need one allocation per batch.size", () => {
    const { acc } = accumulator({ lingerUs: 1000, batchSizeBytes: 1000, maxRequestBytes: 1_048_576 }, 1, 2, (node) => node !== 1);
    for (let i = 0; i < 20; i++) acc.add(i * 1000, 0, 1, 200, 190);
    expect(acc.bufferedBytes).toBe(4 * 1000); // 20 records of 200 B: 4 batches, not one per linger (20)
  });
});
