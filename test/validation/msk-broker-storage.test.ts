// MSK broker storage against its sources (docs/reference.md §5): the Amazon MSK quota page's largest
// Standard-broker volume, 16,384 GiB ("Maximum storage per broker"), and the pricing rule that a
// Standard broker bills the storage provisioned for it, GB-months, whatever it holds. The kept bytes
// are computed by hand: 3 brokers, RF 3 (every broker holds every partition), a 1 h window, retention
// 168 h = 604,800 s, so each broker keeps ingest rate x 604,800 s. At 50 MB/s (the auditor's eq1-50
// cluster) that is 30.24e12 B = 28,164 GiB, above 16,384; at 25 MB/s, 14,082 GiB, below. The money is
// exact arithmetic, compared to 1e-9 USD.

import { describe, expect, it } from "vitest";
import { billingWindow, PriceBook, systemCost } from "../../sim/cost/index.ts";
import { brokerStorageFindings, mskMaxStorageGiB } from "../../sim/kafka/storage-findings.ts";
import type { KafkaResult } from "../../sim/metrics/index.ts";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";
import type { KafkaSystem } from "../../sim/scenario/types.ts";
import { onlySystem, result, scenarioWith } from "../cost/fixtures.ts";

const windowSeconds = 3600;
const context = { warmupUs: 0, durationUs: windowSeconds * 1e6 };

/** A 3-broker RF-3 cluster's result whose 3 partitions took `bytesPerSecond` between them for the hour. */
function cluster(bytesPerSecond: number, brokers = "") {
  const scenario = scenarioWith(`  - { name: k, kind: kafka, brokers: { count: 3, instanceType: kafka.m5.large${brokers} }, topic: { partitions: 3 } }`);
  const system = onlySystem(scenario) as KafkaSystem;
  const storageByPartition = [0, 1, 2].map(() => ({ brokers: [0, 1, 2], storedBytesMean: 0, appendedBytes: (bytesPerSecond * windowSeconds) / 3 }));
  const kafka = result("k", "kafka", { storageByPartition }) as KafkaResult;
  const cost = () => systemCost(system, kafka, billingWindow(scenario.warmupUs, scenario.durationUs), new PriceBook(scenario.region, scenario.pricing));
  return { findings: brokerStorageFindings(kafka, system, context), cost };
}

describe("MSK per-broker storage maximum (Amazon MSK quota: 16,384 GiB per Standard broker)", () => {
  it("50 MB/s kept 7 days needs 28,164 GiB per broker: a critical finding naming the limit and the fixes", () => {
    expect(mskMaxStorageGiB).toBe(16_384);
    const [finding] = cluster(50e6).findings;
    expect(finding?.severity).toBe("critical");
    expect(finding?.code).toBe("broker-storage-limit");
    expect(finding?.evidence.keptGiB).toBe(Math.round((50e6 * 604_800) / 1024 ** 3));
    expect(finding?.message).toMatch(/16,384 GiB.*retention\.bytes.*tiered storage/);
  });

  it("25 MB/s (14,082 GiB per broker) fits: no finding", () => {
    expect(cluster(25e6).findings).toEqual([]);
  });
});

describe("provisioned broker storage (brokers.storage: GiB per broker, billed whole)", () => {
  it("bills count x volume GB-months, whatever the logs hold: 3 x 1,000 GiB at $0.10 is $300 a month", () => {
    const storage = cluster(1e3, ", storage: 1000").cost().lineItems.find((item) => item.item === "broker storage");
    expect(storage?.quantity).toBeCloseTo(3000, 9);
    expect(storage?.monthlyUsd).toBeCloseTo(300, 9);
  });

  it("a volume smaller than the kept bytes is a full disk (critical); one over 60% full is an info", () => {
    // 1 MB/s for 604,800 s: 604.8e9 B = 563.3 GiB per broker.
    expect(cluster(1e6, ", storage: 500").findings.map((f) => [f.severity, f.code])).toEqual([["critical", "broker-disk-full"]]);
    expect(cluster(1e6, ", storage: 800").findings.map((f) => [f.severity, f.code])).toEqual([["info", "broker-disk-utilization"]]);
    expect(cluster(1e6, ", storage: 1000").findings).toEqual([]);
  });

  it("left out, the volume is sized at the kept bytes and the cost says so in plain words", () => {
    const notes = cluster(1e6).cost().assumptions.join("\n");
    expect(notes).toContain("Priced as if each broker's volume were provisioned at exactly what it holds; real clusters provision headroom");
  });

  it("the setting is bounded by MSK's 1 to 16,384 GiB per broker", () => {
    const issues = (storage: number) => {
      const loaded = loadScenarioText(
        `name: s\nduration: 1m\nworkload:\n  - producer: p\n    rate: { recordsPerSecond: 10 }\n    recordSize: { distribution: fixed, size: 100B }\n    keys: { distribution: uniform, cardinality: 10 }\nsystems:\n  - { name: k, kind: kafka, brokers: { count: 3, storage: ${storage} }, topic: { partitions: 3 } }\n`,
        "s.yaml",
      );
      return loaded.ok ? [] : loaded.issues.map(formatIssue);
    };
    expect(issues(16_384)).toEqual([]);
    expect(issues(16_385)[0]).toMatch(/^s\.yaml:9:\d+ systems\[0\]\.brokers\.storage/);
    expect(issues(0)[0]).toMatch(/^s\.yaml:9:\d+ systems\[0\]\.brokers\.storage/);
  });
});
