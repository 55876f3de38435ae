// The Java producer's bounds (docs/reference.md §3.2). Sources: ProducerConfig (buffer.memory
// 33,554,432 B, max.block.ms 60,000), BufferPool.allocate (a batch takes max(batch.size, its record);
// a send that cannot get memory within max.block.ms fails with BufferExhaustedException),
// CommonClientConfigs and ExponentialBackoff (KIP-580: retry.backoff.ms 100 doubling to
// retry.backoff.max.ms 1,000, jitter ±20%).

import { describe, expect, it } from "vitest";
import { retryBackoffUs } from "../../sim/kafka/backoff.ts";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { RandomStreams } from "../../sim/engine/index.ts";

const secondUs = 1_000_000;

// 200 records/s of 10,000 B against a broker disk of 1 MB/s: it writes μ = 1 / 10,173 µs = 98.3
// records/s, about half. Each record is its own batch (two would pass batch.size), so each takes
// 16,384 B of buffer.memory: 32 MiB holds 2,048 batches.
function saturated(bufferMemory: string) {
  const yaml = `
name: kafka-buffer-memory
seed: 1
duration: 5m
report: { interval: 10s }
workload:
  - producer: p
    rate: { recordsPerSecond: 200, arrivals: uniform }
    recordSize: { distribution: fixed, size: 10000B }
    keys: { distribution: uniform, cardinality: 100, template: "k-{i}" }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 1, capacity: { diskWrite: "1MB/s" } }
    topic: { partitions: 1 }
    producer: { acks: 1, linger: 5ms, latency: { median: 0s, p99: 0s }, bufferMemory: ${bufferMemory} }
`;
  const loaded = loadScenarioText(yaml, "kafka-buffer-memory.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return resultOfKind(runScenario(loaded.scenario).systems[0]!, "kafka");
}

describe("buffer.memory and max.block.ms bound an overloaded producer (ProducerConfig, BufferPool)", () => {
  const system = saturated("32MiB");
  const { produced, accepted, dropped, pending } = system.records;
  const batches = (32 * 1024 * 1024) / 16_384;
  const mu = secondUs / (100 + 10_073);

  it("the accounting closes, and pending is bounded by the buffer and max.block.ms of sends", () => {
    expect(accepted + dropped + pending).toBe(produced);
    // At the end the client holds at most 2,048 batches of one record, plus the sends blocked in the
    // last max.block.ms (at most 60 s of arrivals, 12,000): pending is bounded, not growing with the run.
    expect(pending).toBeLessThanOrEqual(batches + 200 * 60);
  });

  it("no record waits past max.block.ms + delivery: latency is bounded, and the buffer drains in 2,048 / μ", () => {
    // A record admitted after blocking waits at most 60 s, then at most the 2,048 batches ahead of it
    // at μ (20.8 s); 0.1 s covers the feed window in which the blocked sends are looked at.
    expect(system.producerLatency.max / secondUs).toBeLessThan(60 + batches / mu + 0.1);
  });

  it("sends fail only after max.block.ms, then at the excess rate λ - μ, with their own finding", () => {
    // Fluid model: the buffer fills at t_f = 2,048 / (λ - μ) = 20.2 s; from then on sends are admitted
    // in order at μ while λ arrive, so the oldest blocked send has waited (t - t_f)(1 - μ/λ), reaching
    // 60 s at t_f + 60 / (1 - μ/λ) = 138 s. After that λ - μ sends a second fail. 2% covers the feed
    // window's rounding and the run's last partial batch.
    const fillS = batches / (200 - mu);
    const firstFailS = fillS + 60 / (1 - mu / 200);
    const expected = (200 - mu) * (300 - firstFailS);
    console.info(`kafka buffer: dropped ${dropped} (fluid ${expected.toFixed(0)}), pending ${pending}, accepted ${accepted}`);
    expect(Math.abs(dropped / expected - 1)).toBeLessThan(0.02);
    // At the end: the 2,048 batches in the buffer and the last 60 s of sends, blocked (1%).
    expect(Math.abs(pending / (batches + 200 * 60) - 1)).toBeLessThan(0.01);
    expect(Number(system.facts.bufferExhaustedRecords)).toBe(dropped);
    const finding = system.findings.find((f) => f.code === "buffer-exhausted");
    expect(finding?.message).toContain("max.block.ms");
    // Every drop is a failed send(): none waits for delivery.timeout inside a 32 MiB buffer.
    expect(system.findings.some((f) => f.code === "records-dropped")).toBe(false);
  });

  it("an unbounded buffer (1 GiB) instead drops at delivery.timeout: the bound is what changed", () => {
    const big = saturated("1GiB");
    expect(big.facts.bufferExhaustedRecords).toBe(0);
    expect(big.findings.some((f) => f.code === "records-dropped")).toBe(true);
  });
});

describe("retry backoff grows exponentially to retry.backoff.max.ms (KIP-580, ExponentialBackoff)", () => {
  it("without jitter (a draw of 0.5): 100, 200, 400, 800, 1,000, 1,000 ms", () => {
    const sequence = [1, 2, 3, 4, 5, 6].map((retry) => retryBackoffUs(retry, 100_000, 1_000_000, () => 0.5) / 1000);
    expect(sequence).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("with a named seeded stream: each wait within ±20% of its term, never above the maximum", () => {
    const uniform = new RandomStreams(7).stream("kafka/test/producer/p/retry-backoff");
    for (let k = 0; k < 200; k++) {
      for (const [retry, termMs] of [[1, 100], [2, 200], [3, 400], [4, 800], [5, 1000]] as const) {
        const waitMs = retryBackoffUs(retry, 100_000, 1_000_000, uniform) / 1000;
        expect(waitMs).toBeGreaterThanOrEqual(Math.floor(0.8 * termMs));
        expect(waitMs).toBeLessThanOrEqual(Math.min(1.2 * termMs, 1000));
      }
    }
  });

  it("a maximum at or below the base is a constant wait of the maximum", () => {
    expect(retryBackoffUs(3, 100_000, 50_000, () => 0.9)).toBe(50_000);
  });
});
