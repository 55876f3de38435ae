// How fast Kinesis delivers a written record to its readers (docs/reference.md §1.3, §1.5, §1.8),
// against the AWS developer guide's "message propagation delay" [K-CONS]: shared-throughput (polling)
// consumers average ~200 ms with one consumer and ~1,000 ms with five; enhanced fan-out averages
// ~70 ms whatever the number of consumers. AWS measures from the PutRecords call to the consumer, so
// the producer sends each record within 1 ms (linger 1 ms) and processing is zero; the API latencies
// keep their defaults. The model does not fit these figures: they come out of the KCL's polling loop,
// the shard's 5 calls/s and the SDK's throttling backoff, and of the fan-out pipe's 2 MiB/s.

import { mean } from "simple-statistics";
import { describe, expect, it } from "vitest";
import type { ConsumerResult, SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const secondUs = 1_000_000;
const MiB = 1024 * 1024;

function run(yaml: string): SystemResult {
  const loaded = loadScenarioText(yaml, "test/validation/inline.yaml");
  if (!loaded.ok) throw new Error(`inline scenario does not load: ${JSON.stringify(loaded.issues)}`);
  const system = runScenario(loaded.scenario).systems[0];
  if (system === undefined) throw new Error("inline scenario simulated no system");
  return system;
}

/** 200 records/s of 100 B on one shard for 2 minutes (10 s warm-up), read by `consumers`. */
function steady(consumers: string[]): string {
  return [
    "name: kinesis-delivery",
    "seed: 1",
    "duration: 2m",
    "warmup: 10s",
    "report: { interval: 10s }",
    "workload:",
    "  - producer: p",
    "    rate: { recordsPerSecond: 200, arrivals: poisson }",
    "    recordSize: { distribution: fixed, size: 100B }",
    '    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }',
    "systems:",
    "  - name: kds",
    "    kind: kinesis",
    "    capacity: { mode: provisioned, shards: 1 }",
    "    producer: { batch: { linger: 1ms } }",
    "    consumers:",
    ...consumers.map((consumer) => `      - ${consumer}`),
    "",
  ].join("\n");
}

const meanMs = (consumer: ConsumerResult): number => consumer.endToEndLatency.mean / 1000;
const polling = (count: number, interval: string): string[] => Array.from({ length: count }, (_, i) => `{ name: poll-${i}, type: polling, pollInterval: ${interval} }`);

describe("polling propagation delay: ~200 ms with one consumer, ~1,000 ms with five ([K-CONS], docs/reference.md §1.5)", () => {
  // "Around 200 ms" is what a reader gets by polling as fast as the shard allows: the KCL's smallest
  // idle time, 200 ms (five calls a second) [K-LL] [KCL-SRC]. Mechanism: a record waits for the next
  // call (~half of 200 ms plus the call's own latency), plus the PutRecords and GetRecords latencies.
  // The published figures are rounded averages ("around"), so the bands are wide: ±30% for one
  // consumer (the model gives ~160 ms); for five, the mean over the consumers within 0.7-1.5 s (the
  // model gives ~1.2 s). ~22,000 records per consumer make the sampling error under 2%.
  it("one consumer polling every 200 ms averages ~200 ms and is never throttled", () => {
    const [consumer] = run(steady(polling(1, "200ms"))).consumers;
    expect(consumer!.readThrottles).toBe(0);
    expect(Math.abs(meanMs(consumer!) / 200 - 1)).toBeLessThan(0.3);
  });

  // Five readers at 200 ms offer 25 calls/s against the shard's 5. A refused call is retried by the
  // SDK after its throttling backoff (250-500 ms, then 500-1,000 ms, then 1-2 s), and the KCL then
  // sleeps its idle time: each reader loses whole backoffs, not just the refused calls, so its
  // successful calls come irregularly, ~1 s apart on average, and a record waits for the next one.
  // Without the backoff (a refused call retried one idle time later) the five share the calls in
  // strict turn, one a second each, and average only ~0.6 s.
  it("five consumers polling every 200 ms are throttled and average ~1,000 ms", () => {
    const consumers = run(steady(polling(5, "200ms"))).consumers;
    expect(consumers.length).toBe(5);
    for (const consumer of consumers) expect(consumer.readThrottles, consumer.name).toBeGreaterThan(0);
    const averageMs = mean(consumers.map(meanMs));
    expect(averageMs).toBeGreaterThan(700);
    expect(averageMs).toBeLessThan(1500);
  });

  // The KCL 2.x/3.x default idle time is 1,500 ms (idleMillisBetweenCalls; KCL 1.x: 1,000 ms) [KCL-SRC]:
  // a record waits ~750 ms for the next call, plus the latencies. Five such readers make 3.3 calls/s,
  // under the limit: none is throttled and all see the same ~0.8 s.
  it("with the KCL 2.x/3.x default of 1,500 ms, one reader or five average ~0.8 s and none is throttled", () => {
    const consumers = run(steady(["{ name: poll-0, type: polling }", "{ name: poll-1, type: polling }", "{ name: poll-2, type: polling }", "{ name: poll-3, type: polling }", "{ name: poll-4, type: polling }"])).consumers;
    for (const consumer of consumers) {
      expect(consumer.readThrottles, consumer.name).toBe(0);
      // 750 ms of waiting + ~50 ms of call latencies; 10% covers the latency draws.
      expect(Math.abs(meanMs(consumer) / 800 - 1), consumer.name).toBeLessThan(0.1);
    }
  });
});

describe("enhanced fan-out streams continuously ([K-CONS], [K-EFO], docs/reference.md §1.3)", () => {
  // Keeping up: "typically an average of 70 ms whether you have one consumer or five" [K-CONS], from
  // the put, as the polling figures above are. The model makes a record readable when its PutRecords
  // call returns and pushes it after the pipe's propagation delay, lognormal with median 45 ms and p99
  // 90 ms by default (mean 47 ms); the call itself answers in ~25 ms on average by default
  // (docs/reference.md §1.5). So the end-to-end mean, from the send (linger 1 ms), is ~72 ms; and the
  // part after the answer (end-to-end minus the producer's latency) is the propagation's 47 ms.
  // ±10% covers the ~22,000 records' sampling error and the histogram.
  it("one consumer or five get records ~70 ms after the put, as AWS measures it", () => {
    const efo = (count: number): string[] => Array.from({ length: count }, (_, i) => `{ name: efo-${i}, type: enhanced-fan-out }`);
    const sigma = Math.log(2) / 2.3263;
    const propagationMeanMs = 45 * Math.exp((sigma * sigma) / 2);
    for (const count of [1, 5]) {
      const system = run(steady(efo(count)));
      expect(system.consumers.length).toBe(count);
      const producerMs = system.producerLatency.mean / 1000;
      for (const consumer of system.consumers) {
        expect(consumer.readThrottles, consumer.name).toBe(0);
        expect(Math.abs(meanMs(consumer) / 70 - 1), `${count} consumers from the put: ${consumer.name}`).toBeLessThan(0.1);
        expect(Math.abs((meanMs(consumer) - producerMs) / propagationMeanMs - 1), `${count} consumers after the answer: ${consumer.name}`).toBeLessThan(0.1);
      }
    }
  });

  // Catching up: 500 records/s of 1,001 B (data + key) on one shard; the reader is down from 1.5 s for
  // 60 s (lease failover), then SubscribeToShard pushes the backlog at its 2 MiB/s per shard [K-EFO]:
  // 2 MiB/s reads 2,097,152 / 500,500 = 4.19 s of data per second, so the lag falls 3.19 s every
  // second until it is caught up (~19 s). Pushed as a stream, each per-second lag sample is 3.19 s
  // below the last; events of 200 ms (0.84 s of data) make each step exact to within one event.
  // Pushed in 10 MiB bursts every 5 s, the lag would instead rise 1 s/s for 4 s and drop 20 s at once.
  it("a catching-up consumer drains at 2 MiB/s per shard, every second, without 5 s bursts", () => {
    const yaml = [
      "name: efo-catch-up",
      "seed: 1",
      "duration: 100s",
      "warmup: 0s",
      "report: { interval: 1s }",
      "workload:",
      "  - producer: p",
      "    rate: { recordsPerSecond: 500, arrivals: uniform }",
      "    recordSize: { distribution: fixed, size: 1000B }",
      '    keys: { distribution: fixed, key: "k" }',
      "systems:",
      "  - name: kds",
      "    kind: kinesis",
      "    capacity: { mode: provisioned, shards: 1 }",
      "    producer: { batch: { linger: 1ms }, latency: { median: 0s, p99: 0s } }",
      "    consumers:",
      "      - { name: efo, type: enhanced-fan-out, propagation: { median: 0s, p99: 0s }, leaseFailover: 60s }",
      "timeline:",
      "  - { at: 1500ms, system: kds, action: consumer-crash, consumer: efo }",
      "",
    ].join("\n");
    const [consumer] = run(yaml).consumers;
    const fluidStepS = 1 - (2 * MiB) / (500 * 1001);
    const samples = consumer!.lagSamples;
    const points: Array<[number, number]> = [];
    for (let i = samples.firstAtOrAfter(63 * secondUs); i < samples.count && samples.timeUsAt(i) < 75 * secondUs; i++) points.push([samples.timeUsAt(i) / secondUs, samples.lagUsAt(i) / secondUs]);
    expect(points.length).toBe(12);
    expect(points[0]![1]).toBeGreaterThan(45);
    for (let i = 1; i < points.length; i++) {
      const [t, lag] = points[i]!;
      const [t0, lag0] = points[i - 1]!;
      const expected = (t - t0) * fluidStepS;
      expect(Math.abs(lag - lag0 - expected), `step to ${t.toFixed(2)} s`).toBeLessThan(0.9);
    }
    // Caught up by ~62 + 61 / 3.19 = 81 s; everything read by the end.
    expect(samples.lagUsAt(samples.firstAtOrAfter(85 * secondUs)) / secondUs).toBeLessThan(0.5);
    expect(consumer!.records.unread + consumer!.records.inFlight).toBeLessThan(10);
  });
});
