// Managed Service for Apache Flink checked against Flink's own algorithms and against theory.
//
// Capacity and keyed skew (docs/reference.md §8.3): with per-record CPU time c on a whole vCPU, the
// hottest subtask's share s of the rate r, and k subtasks per KPU, the application keeps up iff
// rho = s x r x k x c < 1; above that backpressure holds the source to the hot subtask's pace and the
// lag grows by 1 - 1/rho seconds per second (the fluid limit of a saturated server). s is computed
// from the key routing itself (uniform keys: the share of keys whose key group lands on the subtask);
// with 800 records/s over 9 minutes after warm-up (432,000 records) its sampling error is below 0.3%,
// and evenly spaced arrivals leave the poll period and one batch as the only error, so 2% on
// utilization and 5% on lag growth are meaningful. The growth is fitted (least squares) to the lag
// samples from 3 minutes on, after the input buffers filled. One shard: the source reads it in
// order, as the fluid model assumes. Over several shards a backpressured source takes one call's worth
// from each in turn, so the busiest shard falls behind in time fastest (its lag, the consumer's,
// grows faster than the fluid limit of the whole stream).
//
// Key routing (docs/reference.md §8.2). The vectors below were derived from the published algorithm
// twice, independently of sim/flink: by exact integer arithmetic (Python big integers reduced mod 2^32:
// String.hashCode as sum of s[i]*31^(n-1-i) over UTF-16 code units; MathUtils.murmurHash step by step;
// % maxParallelism; keyGroup*parallelism/maxParallelism) and by a scratch Java transcription of
// KeyGroupRangeAssignment.java (apache/flink 5ae3033, flink-runtime/.../state/) and MathUtils.java
// (apache/flink e50494c, flink-core/.../util/) running on the JDK's own String.hashCode. Both agree.

import { cumulativeStdNormalProbability, linearRegression } from "simple-statistics";
import { describe, expect, it } from "vitest";
import { defaultMaxParallelism, flinkMurmurHash, javaStringHashCode, keyGroupRange, KeyGroupRouter } from "../../sim/flink/key-groups.ts";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;
const keyCount = 20;
const recordsPerSecond = 800;

/** The hottest subtask's exact share of uniformly drawn keys k-0 .. k-19 at a parallelism. */
function hottestShare(parallelism: number): { subtask: number; share: number } {
  const router = new KeyGroupRouter(parallelism);
  const perSubtask = new Array<number>(parallelism).fill(0);
  for (let i = 0; i < keyCount; i++) perSubtask[router.subtaskOf(`k-${i}`)]!++;
  const max = Math.max(...perSubtask);
  return { subtask: perSubtask.indexOf(max), share: max / keyCount };
}

function flinkScenario(parallelism: number, parallelismPerKpu: number, perRecordUs: number): string {
  return `name: flink-validation
seed: 3
duration: 10m
warmup: 1m
report: { interval: 10s }
workload:
  - producer: p
    rate: { recordsPerSecond: ${recordsPerSecond}, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: ${keyCount}, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    producer: { latency: { median: 0s, p99: 0s } }
    consumers:
      - { name: app, type: flink, parallelism: ${parallelism}, parallelismPerKpu: ${parallelismPerKpu}, processing: { perRecord: ${perRecordUs}us }, latency: { median: 0s, p99: 0s } }
`;
}

function runFlink(parallelism: number, parallelismPerKpu: number, rho: number) {
  const { subtask, share } = hottestShare(parallelism);
  const perRecordUs = Math.round(rho / (share * recordsPerSecond * parallelismPerKpu) * 1e6);
  const result = runScenario(loadInline(flinkScenario(parallelism, parallelismPerKpu, perRecordUs)));
  expectRunAccountingCloses(result);
  const system = resultOfKind(result.systems[0]!, "kinesis");
  const consumer = system.consumers[0]!;
  return { system, consumer, stats: consumer.flink!, subtask, rho: share * recordsPerSecond * parallelismPerKpu * perRecordUs / 1e6 };
}

describe("Flink keyed stage against the fluid model (s x r x k x c)", () => {
  it("keeps up below rho = 1: the hot subtask is busy rho of the time, the lag stays within a poll and a batch", () => {
    const { system, consumer, stats, subtask, rho } = runFlink(4, 1, 0.8);
    expect(stats.subtasks[subtask]!.meanBusyAfterWarmup).toBeCloseTo(rho, 1);
    expect(Math.abs(stats.subtasks[subtask]!.meanBusyAfterWarmup - rho) / rho).toBeLessThan(0.02);
    expect(consumer.lag.quantile(0.99) / 1e6).toBeLessThan(2);
    expect(system.findings.map((finding) => finding.code)).not.toContain("consumer-falling-behind");
  }, runTimeoutMs);

  it("two subtasks per KPU halve each one's capacity: rho doubles with parallelismPerKpu 2", () => {
    const { stats, subtask, rho } = runFlink(4, 2, 0.7);
    expect(stats.kpus).toBe(2);
    expect(stats.billedKpus).toBe(3);
    expect(Math.abs(stats.subtasks[subtask]!.meanBusyAfterWarmup - rho) / rho).toBeLessThan(0.02);
  }, runTimeoutMs);

  it("falls behind above rho = 1: lag grows by 1 - 1/rho s per s within 5%, the source backpressured, the hot subtask named", () => {
    const { system, consumer, stats, subtask, rho } = runFlink(4, 1, 1.25);
    const lagSeries = consumer.lagSeries.toArrays();
    const fit: [number, number][] = [];
    for (let i = 0; i < lagSeries.last.length; i++) {
      const timeUs = lagSeries.startUs[i]! + lagSeries.durationUs[i]!;
      if (timeUs >= 180e6 && !Number.isNaN(lagSeries.last[i]!)) fit.push([timeUs / 1e6, lagSeries.last[i]! / 1000]);
    }
    const growth = linearRegression(fit).m;
    const expected = 1 - 1 / rho;
    expect(Math.abs(growth - expected) / expected).toBeLessThan(0.05);
    expect(stats.backpressuredShare).toBeGreaterThan(0.9);
    expect(stats.subtasks[subtask]!.meanBusyAfterWarmup).toBeGreaterThan(0.98);
    const codes = system.findings.map((finding) => finding.code);
    expect(codes).toContain("consumer-falling-behind");
    expect(codes).toContain("flink-hot-subtask");
  }, runTimeoutMs);
});

// key, String.hashCode, murmurHash(hashCode), key group at maxParallelism 128, subtask at parallelism 10 (of 128), key group at 256
const vectors: readonly [string, number, number, number, number, number][] = [
  ["", 0, 593689054, 94, 7, 222],
  ["a", 97, 1455541201, 81, 6, 209],
  ["user-1", -836031825, 1662039673, 121, 9, 121], // negative hashCode
  ["sensor-0", 1262113501, 92994534, 102, 7, 230],
  ["hello", 99162322, 1715862179, 35, 2, 163],
  ["polygenelubricants", -2147483648, 1718298732, 108, 8, 108], // hashCode = Integer.MIN_VALUE
  ["\u00fcber", 7604755, 1864126153, 73, 5, 201], // precomposed u-umlaut: one UTF-16 unit (252)
  ["u\u0308ber", 131267196, 2130812155, 123, 9, 251], // decomposed: u + combining diaeresis (776)
  ["\u65e5\u672c", 835047, 1762503263, 95, 7, 95], // CJK, two BMP units
  ["\ud83d\ude00", 1772899, 1934073014, 54, 4, 182], // one emoji, a surrogate pair: two units
  ["dev-us-east-110423", -1208643266, 26445567, 127, 9, 255], // negative hashCode, last key group
];

describe("Flink key routing matches KeyGroupRangeAssignment exactly", () => {
  it.each(vectors)("%j: hashCode %i, murmur %i, key group %i, subtask %i of 10", (key, hash, murmur, group128, subtask10, group256) => {
    expect(javaStringHashCode(key)).toBe(hash);
    expect(flinkMurmurHash(hash)).toBe(murmur);
    const p10 = new KeyGroupRouter(10);
    expect(p10.maxParallelism).toBe(128);
    expect(p10.keyGroupOf(key)).toBe(group128);
    expect(p10.subtaskOf(key)).toBe(subtask10);
    expect(new KeyGroupRouter(128).keyGroupOf(key)).toBe(group256);
    expect(new KeyGroupRouter(1).subtaskOf(key)).toBe(0);
  });

  it("murmurHash of edge ints, MIN_VALUE included", () => {
    expect([0, 1, -1, -2147483648, 2147483647, 42].map(flinkMurmurHash)).toEqual([593689054, 68075478, 1982413648, 1718298732, 1653689534, 1134849565]);
  });

  it("colliding hashCodes (\"Aa\", \"BB\": 2112) share a key group", () => {
    const router = new KeyGroupRouter(4);
    expect(javaStringHashCode("Aa")).toBe(2112);
    expect(javaStringHashCode("BB")).toBe(2112);
    expect(router.keyGroupOf("Aa")).toBe(108);
    expect(router.subtaskOf("BB")).toBe(3);
  });

  it("default maxParallelism is roundUpToPowerOfTwo(p + p/2) bounded to [128, 32768]", () => {
    const cases: [number, number][] = [[1, 128], [2, 128], [85, 128], [86, 256], [128, 256], [200, 512], [21845, 32768], [21846, 32768], [32768, 32768]];
    for (const [parallelism, expected] of cases) expect(defaultMaxParallelism(parallelism)).toBe(expected);
  });

  it("a subtask's key group range holds exactly the groups routed to it", () => {
    for (const [parallelism, maxParallelism] of [[10, 128], [3, 128], [128, 256], [7, 1000]]) {
      const router = new KeyGroupRouter(parallelism, maxParallelism);
      let next = 0;
      for (let subtask = 0; subtask < parallelism; subtask++) {
        const { first, last } = keyGroupRange(subtask, parallelism, maxParallelism);
        expect(first).toBe(next);
        for (let group = first; group <= last; group++) expect(Math.floor((group * parallelism) / maxParallelism)).toBe(subtask);
        next = last + 1;
      }
      expect(next).toBe(router.maxParallelism);
    }
  });
});

// Tumbling windows (docs/reference.md §8.5): a window of W fires when the watermark, the largest event
// time read less the bound D, passes its end; so output latency is D plus how far the largest event
// time trails arrivals (here ~30 ms: records arrive as created, over enhanced fan-out or a Kafka fetch
// answered as soon as the records are committed, and with a wide
// delay distribution some record of the last few dozen has almost no delay) plus processing (0.1 ms a
// record, light load). A record is late when its window has fired before it arrives: with delay d and
// its event time u x W before its window's end (u uniform), when d >= L + u x W, L the watermark's lag
// (measured: the windows' mean output latency). Its share is the integral over u of P(d >= L + u W)
// for the lognormal delay (median 100 ms, p99 20 s). 600,000 records give ~22,000 late ones: a
// sampling error of 0.7%, so 2% is a meaningful bound.
describe("Flink tumbling event-time windows against the analytic late share", () => {
  it.each(["kinesis", "kafka"])("from %s: fire D plus ~30 ms after their end, and drop the late share the delay distribution predicts within 2%", (source) => {
    const application = "name: app, type: flink, parallelism: 4, processing: { perRecord: 100us }, window: { size: 10s, outOfOrderness: 2s }, eventTimeDelay: { median: 100ms, p99: 20s }";
    const system =
      source === "kinesis"
        ? `  - name: sut
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    producer: { batch: { linger: 0s }, latency: { median: 0s, p99: 0s } }
    consumers:
      - { ${application}, efo: true, latency: { median: 0s, p99: 0s } }`
        : `  - name: sut
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large, interBrokerLatency: { median: 0s, p99: 0s } }
    topic: { partitions: 2 }
    producer: { linger: 0s, latency: { median: 0s, p99: 0s } }
    flinkApplications:
      - { ${application} }`;
    const text = `name: flink-windows
seed: 3
duration: 10m
warmup: 1m
report: { interval: 30s }
workload:
  - producer: p
    rate: { recordsPerSecond: 1000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
${system}
`;
    const result = runScenario(loadInline(text));
    expectRunAccountingCloses(result);
    const consumer = result.systems[0]!.consumers[0]!;
    const windows = consumer.flink!.windows!;
    const lagSeconds = windows.outputLatency.mean / 1e6;
    expect(lagSeconds).toBeGreaterThan(2);
    expect(lagSeconds).toBeLessThan(2.1);
    const sigma = Math.log(200) / 2.3263478740408408;
    const steps = 20_000;
    let share = 0;
    for (let i = 0; i < steps; i++) share += 1 - cumulativeStdNormalProbability((Math.log(lagSeconds + (10 * (i + 0.5)) / steps) - Math.log(0.1)) / sigma);
    share /= steps;
    const simulated = windows.lateRecords / (consumer.records.consumed + consumer.records.inFlight);
    expect(Math.abs(simulated - share) / share).toBeLessThan(0.02);
    // 10-minute run, 10 s windows on 4 subtasks, each with records of every window.
    expect(windows.windowsFired).toBeGreaterThan(4 * 55);
  }, runTimeoutMs);
});

// Session windows (docs/reference.md §8.5). Each key's records are a Poisson process of rate lambda
// (Poisson arrivals thinned by a uniform key draw), so an inter-arrival exceeds the gap G with
// probability e^(-lambda G): a key with n records has 1 + (n - 1) e^(-lambda G) sessions on average, and
// a session holds e^(lambda G) records. 200 keys at 1 record/s each for 10 minutes: ~44,000 sessions,
// a sampling error near 0.3%, so 2% is meaningful. Event time is creation time; the watermark trails
// the newest event time by D + 1 ms, so a session fires D (+ the time to the next record on every shard
// and its processing) after its end (last event + G): about G + D after its last record.
describe("Flink session windows against the Poisson gap model", () => {
  it("count 1 + (n - 1) e^(-lambda G) sessions per key and e^(lambda G) records per session within 2%, and fire D after their end", () => {
    const keys = 200;
    const gapSeconds = 1;
    const outOfOrdernessMs = 500;
    const text = `name: flink-sessions
seed: 5
duration: 10m
warmup: 1m
report: { interval: 30s }
workload:
  - producer: p
    rate: { recordsPerSecond: ${keys}, arrivals: poisson }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: ${keys}, template: "k-{i}" }
systems:
  - name: sut
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    producer: { batch: { linger: 0s }, latency: { median: 0s, p99: 0s } }
    consumers:
      - { name: app, type: flink, parallelism: 4, processing: { perRecord: 100us }, window: { gap: ${gapSeconds}s, outOfOrderness: ${outOfOrdernessMs}ms }, efo: true, latency: { median: 0s, p99: 0s } }
`;
    const result = runScenario(loadInline(text));
    expectRunAccountingCloses(result);
    const system = resultOfKind(result.systems[0]!, "kinesis");
    const consumer = system.consumers[0]!;
    const windows = consumer.flink!.windows!;
    const sessions = windows.sessions!;
    const records = system.records.accepted;
    const lambda = records / keys / 600;
    const expected = keys * (1 + (records / keys - 1) * Math.exp(-lambda * gapSeconds));
    const simulated = windows.windowsFired + sessions.activeSessionsAtEnd;
    expect(Math.abs(simulated - expected) / expected).toBeLessThan(0.02);
    expect(Math.abs(sessions.recordsPerSession.mean - Math.exp(lambda * gapSeconds)) / Math.exp(lambda * gapSeconds)).toBeLessThan(0.02);
    expect(windows.lateRecords).toBe(0);
    // Every record processed is in one session: at least those of batches done, at most those read.
    const inSessions = windows.recordsInFiredWindows + windows.recordsInOpenWindows;
    expect(inSessions).toBeGreaterThanOrEqual(consumer.records.consumed);
    expect(inSessions).toBeLessThanOrEqual(consumer.records.consumed + consumer.records.inFlight);
    const latencyMs = windows.outputLatency.mean / 1000;
    expect(latencyMs).toBeGreaterThan(outOfOrdernessMs);
    expect(latencyMs).toBeLessThan(outOfOrdernessMs + 50);
    expect(sessions.activeSessionsPeak).toBeLessThanOrEqual(2 * keys);
  }, runTimeoutMs);
});

// Exactly-once sink (docs/reference.md §8.6): a transactional sink commits a window result with the
// checkpoint whose barrier follows it, so it becomes visible when that checkpoint completes: on average
// C/2 (windows of 1.37 s end at phases spread evenly over the 10 s checkpoint interval) plus the
// checkpoint's duration (1 GiB of state uploaded by 4 KPUs at 100 MiB/s each, ~2.5 s) later than at an
// at-least-once sink, which shows it as the window fires.
describe("Flink exactly-once sink: window results visible at the next checkpoint's completion", () => {
  it("adds C/2 plus the checkpoint duration to the output latency within 5%", () => {
    const run = (sink: string) => {
      const text = `name: flink-exactly-once
seed: 3
duration: 10m
warmup: 1m
report: { interval: 30s }
workload:
  - producer: p
    rate: { recordsPerSecond: 1000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
  - name: sut
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    producer: { batch: { linger: 0s }, latency: { median: 0s, p99: 0s } }
    consumers:
      - { name: app, type: flink, parallelism: 4, processing: { perRecord: 100us }, window: { size: 1370ms, outOfOrderness: 1s }, checkpoints: { interval: 10s, stateSize: 1GiB }, sink: ${sink}, autoscaling: { enabled: false }, efo: true, latency: { median: 0s, p99: 0s } }
`;
      const result = runScenario(loadInline(text));
      expectRunAccountingCloses(result);
      return result.systems[0]!.consumers[0]!.flink!;
    };
    const atLeastOnce = run("at-least-once");
    const exactlyOnce = run("exactly-once");
    expect(exactlyOnce.windows!.windowsFired).toBe(atLeastOnce.windows!.windowsFired);
    const extraUs = exactlyOnce.windows!.outputLatency.mean - atLeastOnce.windows!.outputLatency.mean;
    const checkpointUs = exactlyOnce.checkpoints.durationUs.mean;
    expect(checkpointUs).toBeGreaterThan(2_000_000);
    const expectedUs = 10_000_000 / 2 + checkpointUs;
    expect(Math.abs(extraUs - expectedUs) / expectedUs).toBeLessThan(0.05);
  }, runTimeoutMs);
});
