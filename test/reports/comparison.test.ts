// The comparison of a report's systems, on hand-built summaries: the not-like-for-like check fires on
// the settings that differ (24 h against 7 days of retention, replication, acknowledgement, consumers,
// retry, batching) and stays silent when the systems are alike; the sentence says who absorbs the skew,
// who throttles or drops (with the numbers of the same summary) and the cost ratios at each retention.

import { describe, expect, it } from "vitest";
import { comparisonSentence, notLikeForLike } from "../../reports/comparison.ts";
import { configurationTable } from "../../reports/comparison-tables.ts";
import { buildSummary } from "../../reports/summary.ts";
import { verdictLines } from "../../reports/summary-md.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioFile } from "../../sim/scenario/index.ts";
import type { ComparisonSummary, ConfigurationSummary } from "../../reports/summary-schema.ts";
import type { SystemSummary } from "../../reports/system-summary.ts";
import { loadInline } from "../support/scenarios.ts";
import { kinesisMessages } from "../../sim/kinesis/messages.ts";

const day = 86_400;

const kinesisLike: ConfigurationSummary = {
  capacity: "provisioned, 10 shards",
  partitions: 10,
  instanceType: null,
  replicationCopies: 3,
  replication: "3 AZs, synchronous (by the service)",
  acknowledgement: "replicated",
  acks: "after the service stores the record in 3 AZs",
  retentionSeconds: day,
  retention: "24 h",
  consumers: [{ name: "analytics", type: "polling (GetRecords)", instances: 10, instancesOf: "shard workers", processingPerRecordMs: 0, processingPerBatchMs: 0, reading: "polls every 1.5s" }],
  producer: { lingerMs: 100, batching: "PutRecords, linger 100ms", retry: "up to 3 attempts, backoff 100ms to 20s, full jitter" },
};

type Overrides = Partial<Omit<SystemSummary, "configuration">> & { configuration?: Partial<ConfigurationSummary> };

function system(name: string, overrides: Overrides = {}): SystemSummary {
  const { configuration, ...rest } = overrides;
  return {
    name,
    kind: "kinesis",
    configuration: { ...kinesisLike, ...configuration },
    records: { produced: 1000, accepted: 1000, throttledAttempts: 0, dropped: 0, pending: 0 },
    bytes: { produced: 0, accepted: 0 },
    producerLatencyMs: { p50: 1, p99: 2, max: 3 },
    partitions: [],
    consumers: [],
    cost: null,
    findings: [],
    facts: {},
    ...rest,
  };
}

function costs(retentions: Array<[seconds: number, words: string, usd: Record<string, number>]>): ComparisonSummary["costAtRetention"] {
  return retentions.map(([retentionSeconds, retention, usd]) => ({
    retentionSeconds,
    retention,
    systems: Object.entries(usd).map(([name, monthlyUsd]) => ({ system: name, monthlyUsd, pricedRetentionSeconds: retentionSeconds })),
  }));
}

describe("not like for like", () => {
  it("names a 24-hour against a 7-day retention, with each system's value and why it matters", () => {
    const differences = notLikeForLike([system("a"), system("b", { configuration: { retentionSeconds: 7 * day, retention: "7 days" } })]);
    expect(differences).toEqual([
      { setting: "retention", values: [{ system: "a", value: "24 h" }, { system: "b", value: "7 days" }], why: expect.stringContaining("expire") },
    ]);
  });

  it("is silent when the systems are alike, and with one system", () => {
    expect(notLikeForLike([system("a"), system("b")])).toEqual([]);
    expect(notLikeForLike([system("a", { configuration: { retentionSeconds: 7 * day } })])).toEqual([]);
  });

  it("names replication, acknowledgement, consumers, processing, retry and batching when they differ", () => {
    const kafka = system("k", {
      configuration: {
        replicationCopies: 1,
        replication: "replication factor 1",
        acknowledgement: "leader",
        acks: "acks=1",
        consumers: [{ name: "analytics", type: "consumer group (range)", instances: 3, instancesOf: "consumers", processingPerRecordMs: 0.02, processingPerBatchMs: 0, reading: "polls" }],
        producer: { lingerMs: 5, batching: "batch.size 16KiB, linger.ms 5ms", retry: "until delivery.timeout.ms 2m" },
      },
    });
    const settings = notLikeForLike([system("a"), kafka]).map((difference) => difference.setting);
    expect(settings).toEqual(["replication", "acknowledgement", "consumer type", "consumer instances", "processing time", "producer retry", "producer batching"]);
    const noConsumers = notLikeForLike([system("a"), system("b", { configuration: { consumers: [] } })]);
    expect(noConsumers.find((difference) => difference.setting === "consumer applications")?.values).toEqual([
      { system: "a", value: "1 (analytics)" },
      { system: "b", value: "none" },
    ]);
  });

  it("writes one instance in the singular: '1 consumer', not '1 consumers'", () => {
    const one = system("k", { configuration: { consumers: [{ ...kinesisLike.consumers[0], type: "consumer group (range)", instances: 1, instancesOf: "consumers" }] } });
    const instances = notLikeForLike([system("a"), one]).find((difference) => difference.setting === "consumer instances")!;
    expect(instances.values).toEqual([
      { system: "a", value: "analytics: 10 shard workers" },
      { system: "k", value: "analytics: 1 consumer" },
    ]);
    expect((configurationTable([one])!.objects() as Array<Record<string, string>>).find((row) => row.setting === "consumers")!.k).toContain(", 1 consumer, ");
  });

  it("takes a service's unpublished multi-AZ copies as alike to 3 copies, not to a single one", () => {
    const queue = { replicationCopies: null, replication: "several AZs, synchronous (by the service)" };
    expect(notLikeForLike([system("a"), system("q", { configuration: queue })])).toEqual([]);
    const single = system("k", { configuration: { replicationCopies: 1, replication: "replication factor 1" } });
    expect(notLikeForLike([single, system("q", { configuration: queue })]).map((difference) => difference.setting)).toEqual(["replication"]);
  });
});

describe("the comparison sentence", () => {
  const hotShard = {
    severity: "critical" as const,
    code: "hot-shard",
    subject: "shardId-000000000001",
    message: "",
    evidence: { peakWriteUtilization: 1.546, topKeyOverShardLimit: 1 },
  };
  const dropped = { severity: "critical" as const, code: "records-dropped", subject: "producer", message: "", evidence: { dropped: 90, produced: 1000 } };
  const hotPartition = { severity: "warning" as const, code: "hot-partition", subject: "events-6", message: "", evidence: { share: 0.199 } };

  it("says who absorbs the skew, who throttles and drops, and what each costs at each retention", () => {
    const kds = system("kds", { findings: [hotShard, dropped], records: { produced: 1000, accepted: 900, throttledAttempts: 300, dropped: 90, pending: 10 } });
    const msk = system("msk", { kind: "kafka", findings: [hotPartition] });
    const sentence = comparisonSentence([kds, msk], costs([[day, "24 h", { kds: 300, msk: 690 }], [7 * day, "7 days", { kds: 450, msk: 2700 }]]));
    expect(sentence).toBe(
      "msk absorbs this key skew; kds throttles its hot shard shardId-000000000001 (up to 155% of its write limit; at any shard count with this key: " +
        "one key alone is over a shard's limit) and drops 9.00% of records; kds is the cheapest at equal retention: msk costs 2.3x as much at 24 h and 6.0x at 7 days, " +
        "but kds drops records as run, so its price buys less delivered (not like for like).",
    );
  });

  it("says no system has a critical finding when none has and no keys are skewed, with one retention for all", () => {
    const sentence = comparisonSentence([system("a"), system("b"), system("c")], costs([[7 * day, "7 days", { a: 100, b: 250, c: 41 }]]));
    expect(sentence).toBe("a, b and c have no critical findings; c is the cheapest (every system priced at 7 days retention): a costs 2.4x as much, b costs 6.1x as much.");
  });

  it("names the fastest by producer p99 and by end-to-end p99, saying which, and the cheapest at each retention when it changes", () => {
    const consumer = (p99: number) => ({ endToEndLatencyMs: { p50: 1, p99, max: p99 }, records: { consumed: 1000 } }) as unknown as SystemSummary["consumers"][number];
    const kds = system("kds", { producerLatencyMs: { p50: 50, p99: 322, max: 900 }, consumers: [consumer(1640)] });
    const msk = system("msk", { kind: "kafka", producerLatencyMs: { p50: 5, p99: 14.7, max: 40 }, consumers: [consumer(20), consumer(35)] });
    const twoRetentions = costs([[day, "24 h", { kds: 300, msk: 690 }], [7 * day, "7 days", { kds: 3000, msk: 2700 }]]);
    expect(comparisonSentence([kds, msk], twoRetentions)).toBe(
      "kds and msk have no critical findings; msk is the fastest (producer p99 14.7 ms against kds 322 ms, end-to-end p99 35.0 ms against kds 1.64 s); " +
        "at equal retention the cheapest is kds at 24 h and msk at 7 days: msk costs 2.3x as much at 24 h and 10% less at 7 days (against kds).",
    );
    // A dearer system that drops as run carries the caveat too.
    const lossy = system("msk", { kind: "kafka", records: { produced: 1000, accepted: 980, throttledAttempts: 0, dropped: 20, pending: 0 } });
    expect(comparisonSentence([system("kds"), lossy], costs([[day, "24 h", { kds: 300, msk: 690 }]]))).toBe(
      "kds has no critical findings; msk drops 2.00% of records; kds is the cheapest (every system priced at 24 h retention): msk costs 2.3x as much, " +
        "but msk drops records as run, so its price buys less delivered (not like for like).",
    );
    // A different winner on each figure: each named with its own.
    const quickConsumer = system("kds", { producerLatencyMs: { p50: 50, p99: 322, max: 900 }, consumers: [consumer(10)] });
    expect(comparisonSentence([quickConsumer, msk], [])).toBe(
      "kds and msk have no critical findings; msk has the lowest producer latency (producer p99 14.7 ms against kds 322 ms) and kds the lowest end-to-end latency (end-to-end p99 10.0 ms against msk 35.0 ms).",
    );
    // A lowest p99 within 10% of another's names no winner: a few percent is what another seed gives.
    const close = system("kds", { producerLatencyMs: { p50: 5, p99: 15.5, max: 40 }, consumers: [consumer(1640)] });
    expect(comparisonSentence([close, msk], [])).toBe(
      "kds and msk have no critical findings; msk has the lowest end-to-end latency (end-to-end p99 35.0 ms against kds 1.64 s).",
    );
    // The end-to-end p99 is of the records delivered; the share dropped is said once, in the system's own clause.
    const droppingKds = system("kds", { producerLatencyMs: { p50: 50, p99: 322, max: 900 }, consumers: [consumer(1640)], records: { produced: 1000, accepted: 852, throttledAttempts: 0, dropped: 148, pending: 0 } });
    const droppingSentence = comparisonSentence([droppingKds, msk], costs([[day, "24 h", { kds: 300, msk: 690 }]]));
    expect(droppingSentence).toContain("msk is the fastest (producer p99 14.7 ms against kds 322 ms, end-to-end p99 35.0 ms against kds 1.64 s of records delivered)");
    expect(droppingSentence.split("14.80%").length - 1).toBe(1);
  });

  it("says when the cheapest system's consumers left most of what it accepted unprocessed: its price buys less delivered", () => {
    const worker = (consumed: number) => ({ name: "fn", endToEndLatencyMs: { p50: 1, p99: 2, max: 2 }, records: { consumed } }) as unknown as SystemSummary["consumers"][number];
    // reserved-only processed 43 of 1,000 accepted records by the end, ramp all of them: ramp costing 8.2x is not for the same work.
    const ramp = system("ramp", { kind: "sqs", consumers: [worker(1000)] });
    const reservedOnly = system("reserved-only", { kind: "sqs", consumers: [worker(43)] });
    const nearly = system("nearly", { kind: "sqs", consumers: [worker(950)] });
    const sentence = comparisonSentence([ramp, reservedOnly, nearly], costs([[4 * day, "4 days", { ramp: 2129.65, "reserved-only": 258.26, nearly: 2000 }]]));
    expect(sentence).toContain(
      "reserved-only is the cheapest (every system priced at 4 days retention): ramp costs 8.2x as much, nearly costs 7.7x as much, but reserved-only had processed 4.3% of the records it accepted by the run's end (ramp 100%), so its price buys less delivered (not like for like).",
    );
    // With a drop as well, both reasons are said once, and the prices of both systems carry the caveat.
    const lossy = system("nearly", { kind: "sqs", consumers: [worker(950)], records: { produced: 1000, accepted: 980, throttledAttempts: 0, dropped: 20, pending: 0 } });
    expect(comparisonSentence([ramp, reservedOnly, lossy], costs([[4 * day, "4 days", { ramp: 2129.65, "reserved-only": 258.26, nearly: 2000 }]]))).toContain(
      "but nearly drops records as run and reserved-only had processed 4.3% of the records it accepted by the run's end (ramp 100%), so their prices buy less delivered (not like for like).",
    );
    // 95% against 100% is within the margin: no caveat.
    expect(comparisonSentence([ramp, nearly], costs([[4 * day, "4 days", { ramp: 2129.65, nearly: 2000 }]]))).not.toContain("less delivered");
    // A slow application only one system runs is not set against the other: the consumers both run are compared.
    const named = (name: string, consumed: number) => ({ ...worker(consumed), name }) as SystemSummary["consumers"][number];
    const kds = system("kds", { consumers: [named("counts-p4", 390), named("counts-p16", 880)] });
    const msk = system("msk", { kind: "kafka", consumers: [named("counts-p16", 880)] });
    expect(comparisonSentence([kds, msk], costs([[day, "24 h", { kds: 300, msk: 290 }]]))).not.toContain("less delivered");
  });

  it("compares end-to-end latency over the consumers every system runs when one runs more, and names them", () => {
    const consumer = (name: string, p99: number) => ({ name, endToEndLatencyMs: { p50: 1, p99, max: p99 }, records: { consumed: 1000 } }) as unknown as SystemSummary["consumers"][number];
    // kds runs a second, smaller application msk does not: its 7.9 min is not set against msk's 3.8 min.
    const kds = system("kds", { producerLatencyMs: { p50: 50, p99: 152, max: 900 }, consumers: [consumer("counts-p4", 471_000), consumer("counts-p16", 222_000)] });
    const msk = system("msk", { kind: "kafka", producerLatencyMs: { p50: 5, p99: 16.2, max: 40 }, consumers: [consumer("counts-p16", 226_500)] });
    expect(comparisonSentence([kds, msk], [])).toBe("kds and msk have no critical findings; msk has the lowest producer latency (producer p99 16.2 ms against kds 152 ms).");
    // Where the shared one differs, it is named.
    const slow = system("kds", { producerLatencyMs: { p50: 50, p99: 152, max: 900 }, consumers: [consumer("counts-p4", 9_000), consumer("counts-p16", 1_640)] });
    const quick = system("msk", { kind: "kafka", producerLatencyMs: { p50: 5, p99: 16.2, max: 40 }, consumers: [consumer("counts-p16", 35)] });
    expect(comparisonSentence([slow, quick], [])).toBe(
      "kds and msk have no critical findings; msk is the fastest (producer p99 16.2 ms against kds 152 ms, end-to-end p99 of counts-p16 (run by every system) 35.0 ms against kds 1.64 s).",
    );
    // With no consumer in common, each system's slowest is compared, as before.
    const other = system("msk", { kind: "kafka", producerLatencyMs: { p50: 5, p99: 16.2, max: 40 }, consumers: [consumer("group", 35)] });
    expect(comparisonSentence([slow, other], [])).toContain("end-to-end p99 35.0 ms against kds 9.00 s");
  });

  it("names the consumer whose lag grows fastest when several fall behind, whatever order the findings come in", () => {
    const behind = (subject: string, lagGrowthMsPerSecond: number) => ({ severity: "critical" as const, code: "consumer-falling-behind", subject, message: "", evidence: { finalLagMs: 1, lagGrowthMsPerSecond } });
    const kds = system("kds", { findings: [behind("counts-p16", 410.6), behind("counts-p4", 843.1)] });
    expect(comparisonSentence([kds, system("msk", { kind: "kafka" })], [])).toContain("kds falls behind (consumer counts-p4)");
  });

  it("calls systems whose costs print alike equally cheap, never one the cheapest by rounding", () => {
    // kafka-keda-lag: $752.86 and $752.85 both print as $753/month.
    expect(comparisonSentence([system("capped"), system("idle-allowed")], costs([[7 * day, "7 days", { capped: 752.86, "idle-allowed": 752.85 }]]))).toBe(
      "capped and idle-allowed have no critical findings; capped and idle-allowed cost the same (every system priced at 7 days retention).",
    );
    // Two tied with the cheapest lead together; a cost within the ratio's rounding says how much more instead of "1.0x".
    expect(comparisonSentence([system("a"), system("b"), system("c")], costs([[7 * day, "7 days", { a: 752.86, b: 752.85, c: 760 }]]))).toBe(
      "a, b and c have no critical findings; a and b cost the same and are the cheapest (every system priced at 7 days retention): c costs 0.9% more.",
    );
    expect(comparisonSentence([system("a"), system("b")], costs([[day, "24 h", { a: 300, b: 300.2 }], [7 * day, "7 days", { a: 450, b: 900 }]]))).toBe(
      "a and b have no critical findings; a is the cheapest at equal retention: b costs the same at 24 h and 2.0x as much at 7 days.",
    );
  });

  it("names the hottest of several hot shards, whatever order the findings come in", () => {
    const cooler = { ...hotShard, subject: "shardId-000000000002", evidence: { peakWriteUtilization: 2.34, topKeyOverShardLimit: 0 } };
    const hotter = { ...hotShard, subject: "shardId-000000000007", evidence: { peakWriteUtilization: 4.06, topKeyOverShardLimit: 0 } };
    const sentence = comparisonSentence([system("kds", { findings: [cooler, hotter] }), system("other")], []);
    expect(sentence).toBe("other absorbs this key skew; kds throttles its hot shard shardId-000000000007 (up to 406% of its write limit).");
  });

  it("says a hot shard a reshard closed throttled until the change landed, and a resharded stream's shard count is the one then", () => {
    // The quick start with its hot shard's split pasted in: the parent is hot for the 30 s the split takes.
    const split = { ...hotShard, evidence: { peakWriteUtilization: 1.541, topKeyOverShardLimit: 0, closedBy: "split-shard shardId-000000000001", closedAtSeconds: 30, openSeconds: 30 } };
    expect(comparisonSentence([system("kds", { findings: [split] }), system("other")], [])).toBe(
      "other absorbs this key skew; kds throttles its hot shard shardId-000000000001 until its split landed at 30.0 s (up to 154% of its write limit).",
    );
    const scaled = { severity: "critical" as const, code: "no-headroom", subject: "stream", message: "", evidence: { demandOverCapacity: 1.173, openShards: 8, initialShards: 8, finalOpenShards: 64 } };
    expect(comparisonSentence([system("kds", { findings: [scaled] }), system("other")], [])).toBe(
      "other has no critical findings; kds runs out of write capacity (demand at 117% of the 8 shards open then, 64 at the end).",
    );
  });

  it("writes a drop share with the finding's formatter: a tiny share is '<0.0001%', never '0.00%'", () => {
    const tiny = system("kds", { records: { produced: 19_900_000, accepted: 19_899_999, throttledAttempts: 0, dropped: 1, pending: 0 } });
    expect(comparisonSentence([tiny, system("other")], [])).toBe("other has no critical findings; kds drops <0.0001% of records.");
    expect(kinesisMessages.dropped(1, 19_900_000, null, false)).toMatch(/^1 record \(<0\.0001% of those produced\) was dropped /);
    const some = system("kds", { records: { produced: 100_000, accepted: 99_940, throttledAttempts: 0, dropped: 60, pending: 0 } });
    expect(comparisonSentence([some, system("other")], [])).toContain("kds drops 0.06% of records");
    expect(kinesisMessages.dropped(60, 100_000, null, false)).toMatch(/^60 records \(0\.06% of those produced\) were dropped /);
  });

  it("counts the shards over their write limit and says 'at any shard count' only of the shard whose key alone is over a shard's limit", () => {
    // The new-user review's scenario (issue 16): 8,000 records/s of 1 KB, zipf keys over 50,000 with
    // exponent 1.1, on 10 provisioned shards. The busiest key takes ~13.9% (~1,110 records/s, over a
    // shard's 1,000) and two more shards run over their limit without any key alone doing so.
    const scenario = loadInline(`name: zipf-8k
seed: 7
duration: 3m
warmup: 1m
report: { interval: 1m }
workload:
  - producer: devices
    rate: { recordsPerSecond: 8000, arrivals: poisson }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: zipf, cardinality: 50000, exponent: 1.1, template: "dev-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 10 }
    consumers:
      - { name: app, type: polling }
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 12 }
    consumerGroups:
      - { name: app, consumers: 1 }
`);
    const summary = buildSummary(runScenario(scenario));
    const kds = summary.systems.find((entry) => entry.name === "kds")!;
    const over = kds.partitions.filter((partition) => (partition.peakWriteUtilization ?? 0) > 1);
    expect(over.length).toBeGreaterThanOrEqual(3);
    const hottest = [...kds.partitions].sort((a, b) => (b.peakWriteUtilization ?? 0) - (a.peakWriteUtilization ?? 0))[0];
    const sentence = summary.comparison?.sentence ?? "";
    expect(sentence).toContain(`kds throttles ${over.length} of 10 shards over their write limit, the hottest ${hottest.id} at `);
    expect(sentence).toMatch(/at any shard count with this key: its key "dev-0" alone is over a shard's limit/);
    expect(sentence.match(/at any shard count/g)).toHaveLength(1);
    // The key lab's fallback (streamsim keys --template "dev-{i}" --field i=0..49999:zipf=1.1
    // --kinesis-shards 10 --records-per-second 8000 says the same): 19 shards for every other key, 2 suffix buckets.
    expect(sentence).toContain("leaving it out, 19 shards keep every other key at or below 80% of a shard, and it needs a random suffix with at least 2 buckets");
    const keyed = kds.findings.find((finding) => finding.code === "hot-shard" && finding.evidence.topKeyOverShardLimit === 1)!;
    expect(keyed.message).toContain('Leaving "dev-0" out, 19 shards keep every other key at or below 80%');
    // The verdict line says how many shards were over too, not only the hottest.
    const verdict = verdictLines(summary).find((line) => line.includes("kds")) ?? "";
    expect(verdict).toContain(`${over.length} of 10 shards over their write limit; the hottest, ${hottest.id} ran at up to`);
  }, 120_000);

  it("counts every dropped record, whichever finding counted its cause, and names findings it has no words for by code", () => {
    const exhausted = { severity: "critical" as const, code: "buffer-exhausted", subject: "producer", message: "", evidence: { dropped: 100, produced: 1000 } };
    const unknown = { severity: "critical" as const, code: "new-problem", subject: "topic", message: "", evidence: {} };
    const fragile = system("fragile", { findings: [exhausted, unknown], records: { produced: 1000, accepted: 880, throttledAttempts: 0, dropped: 120, pending: 0 } });
    const behind = { severity: "critical" as const, code: "consumer-falling-behind", subject: "ledger", message: "", evidence: {} };
    const slow = system("slow", { findings: [behind] });
    expect(comparisonSentence([fragile, slow], [])).toBe("fragile has a critical finding (new-problem) and drops 12.00% of records; slow falls behind (consumer ledger).");
    const outage = { severity: "critical" as const, code: "partitions-unavailable", subject: "events-1", message: "", evidence: { partitions: 2, longestSeconds: 120 } };
    const three = system("three", { findings: [outage, unknown], records: { produced: 1000, accepted: 990, throttledAttempts: 0, dropped: 10, pending: 0 } });
    expect(comparisonSentence([three, system("calm")], [])).toBe("calm has no critical findings; three has 2 partitions offline for up to 120 s, has a critical finding (new-problem) and drops 1.00% of records.");
    // Two codes without words share one clause rather than repeating "has a critical finding".
    const other = { severity: "critical" as const, code: "other-problem", subject: "topic", message: "", evidence: {} };
    const two = system("two", { findings: [unknown, other] });
    expect(comparisonSentence([two, system("calm")], [])).toBe("calm has no critical findings; two has critical findings (new-problem, other-problem).");
  });

  const rebalance = (stoppedSeconds: number, revoked: number, duplicates: number) => ({
    severity: "warning" as const,
    code: "rebalance-reprocessed",
    subject: "sessions",
    message: "",
    evidence: { rebalances: 1, duplicates, groupStoppedSeconds: stoppedSeconds, partitionsRevoked: revoked },
  });

  it("leads with the warnings on which the systems differ when none has a critical finding", () => {
    const eager = system("eager", { kind: "kafka", findings: [rebalance(2.719, 8, 4912)] });
    const cooperative = system("cooperative", { kind: "kafka", findings: [rebalance(0, 2, 4830)] });
    expect(comparisonSentence([eager, cooperative], costs([[7 * day, "7 days", { eager: 100, cooperative: 100 }]]))).toBe(
      "eager stopped the whole group for 2.7 s at its rebalance and reprocessed 4,912 records; " +
        "cooperative moved 2 partitions without stopping at its rebalance and reprocessed 4,830 records; " +
        "eager and cooperative have no critical findings; eager and cooperative cost the same (every system priced at 7 days retention).",
    );
  });

  it("leads with differing warnings when the systems share their critical findings, the worst of each code, and leaves out warnings alike", () => {
    const behind = { severity: "critical" as const, code: "consumer-falling-behind", subject: "ledger", message: "", evidence: {} };
    const unknown = { severity: "warning" as const, code: "new-warning", subject: "topic", message: "", evidence: {} };
    const a = system("a", { findings: [behind, rebalance(1, 4, 10), rebalance(3, 4, 20), unknown] });
    const b = system("b", { findings: [behind, rebalance(0, 1, 5), unknown] });
    expect(comparisonSentence([a, b], [])).toBe(
      "a stopped the whole group for 3.0 s at its rebalance and reprocessed 20 records; b moved 1 partition without stopping at its rebalance and reprocessed 5 records; " +
        "a falls behind (consumer ledger); b falls behind (consumer ledger).",
    );
    const only = system("c", { findings: [unknown] });
    expect(comparisonSentence([only, system("d")], [])).toBe("c has a warning (new-warning); c and d have no critical findings.");
    expect(comparisonSentence([system("e", { findings: [unknown] }), system("f", { findings: [unknown] })], [])).toBe("e and f have no critical findings.");
  });

  it("kafka-consumer-crash: says the eager group stopped and the cooperative one kept consuming", () => {
    const loaded = loadScenarioFile("scenarios/kafka-consumer-crash.yaml", { durationUs: 180_000_000 });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const sentence = buildSummary(runScenario(loaded.scenario)).comparison?.sentence ?? "";
    expect(sentence).toMatch(/^eager stopped the whole group for \d+\.\d s at its rebalance and reprocessed [\d,]+ records; cooperative moved \d+ partitions? without stopping/);
  });
});

describe("what the prices leave out, said where the costs are compared", () => {
  const quantiles = { p50: 1, p99: 2, max: 3 };
  const records = { consumed: 1000, unread: 0, inFlight: 0, expired: 0, deadLettered: 0, lost: 0, duplicates: 0 };
  const consumer = (name: string, type: string, extra: object = {}) =>
    ({ name, type, records, lagMs: quantiles, endToEndLatencyMs: quantiles, ...extra }) as unknown as SystemSummary["consumers"][number];
  const sessions = (hours: number) => consumer("sessions", "consumer-group", { autoscaling: { consumerHours: hours } });

  it("autoscaled consumers that ran 2.4x the consumer-hours do not cost the same without a word (kafka-keda-lag's audit)", () => {
    const systems = [system("capped", { consumers: [sessions(1.083)] }), system("idle-allowed", { consumers: [sessions(2.617)] })];
    const sentence = comparisonSentence(systems, costs([[7 * day, "7 days", { capped: 753.1, "idle-allowed": 753.1 }]]));
    expect(sentence).toContain("capped and idle-allowed cost the same (every system priced at 7 days retention); their consumers' own compute is not priced");
    expect(sentence).toContain("capped ran 1.08 consumer-hours and idle-allowed 2.62");
    // Within 10% of each other: nothing to say.
    const close = [system("a", { consumers: [sessions(1.0)] }), system("b", { consumers: [sessions(1.05)] })];
    expect(comparisonSentence(close, costs([[7 * day, "7 days", { a: 100, b: 100 }]]))).not.toContain("compute");
  });

  it("a Firehose system's S3 delivery is priced, other consumers' writes are not: the sentence and the not-like-for-like list say so", () => {
    const fh = system("fh", { kind: "firehose", consumers: [consumer("s3", "s3-delivery")] });
    const lambda = system("kds-lambda", { consumers: [consumer("to-s3", "lambda")] });
    const sentence = comparisonSentence([fh, lambda], costs([[day, "24 h", { fh: 413, "kds-lambda": 60 }]]));
    expect(sentence).toContain("; what kds-lambda's consumers write is not priced, Firehose's S3 delivery is");
    const delivery = notLikeForLike([fh, lambda]).find((difference) => difference.setting === "delivery")!;
    expect(delivery.values).toEqual([
      { system: "fh", value: "S3 delivery priced (s3: requests and storage)" },
      { system: "kds-lambda", value: "what to-s3 writes not priced" },
    ]);
    // Without a Firehose delivery there is nothing priced to set them against.
    expect(notLikeForLike([lambda, system("other", { consumers: [consumer("app", "polling")] })]).some((difference) => difference.setting === "delivery")).toBe(false);
  });

  it("near costs read as percentages, one form for all of them (firehose-buffering read '1.1x as much' for 5.3% more)", () => {
    const systems = [system("a"), system("b"), system("c")];
    const sentence = comparisonSentence(systems, costs([[day, "24 h", { a: 94.66, b: 99.7, c: 95.61 }]]));
    expect(sentence).toContain("b costs 5.3% more, c costs 1.0% more");
  });
});
