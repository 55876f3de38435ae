// An aggregated PutRecords batch too large for one call goes out as several calls (docs/reference.md
// §1.7). Those extra calls are counted when the answer comes back: counting them at the send time put an
// add into the call series behind later ones and crashed a run (found by the 200-scenario property search).

import { describe, expect, it } from "vitest";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const yaml = `
name: aggregated-calls
seed: 311588
duration: 77s
warmup: 10s
report: { interval: 30s }
workload:
  - producer: p0
    rate: { recordsPerSecond: 2431, arrivals: uniform }
    recordSize: { distribution: uniform, min: 1658B, max: 9332B }
    keys: { distribution: hotspot, cardinality: 12144, hotKeys: 3, hotShare: 0.59, template: "h-{i}" }
systems:
  - name: kds0
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    resharding: { updateShardCountTime: 2s, splitMergeTime: 2s, onDemandScaleTime: 7s }
    producer: { batch: { maxRecords: 26, linger: 250ms }, retry: { maxAttempts: 4, baseDelay: 100ms, maxDelay: 5s, jitter: none }, latency: { median: 20ms, p99: 80ms }, aggregation: { enabled: true, maxBytes: 4KiB } }
    consumers:
      - { name: c0, type: polling, pollInterval: 200ms, maxRecords: 1000, processing: { perRecord: 20us, perBatch: 5ms } }
timeline:
  - { at: 27s, system: kds0, action: merge-shards, shards: [0, 1] }
`;

describe("aggregated batches split over several PutRecords calls", () => {
  it("count every call in the call series, in time order, and the accounting closes", () => {
    const result = runScenario(loadInline(yaml, "test/kinesis/aggregated-calls.yaml"));
    expectRunAccountingCloses(result);
    const kinesis = resultOfKind(result.systems[0], "kinesis");
    // The calls were counted (none lost to the reordering).
    expect(kinesis.series["PutRecords.Calls"].total).toBeGreaterThan(0);
  });
});
