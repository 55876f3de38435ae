// Kafka's drop findings write the share as every system's do ("0.002%", never "0.0%" of 32 records in
// 1.4 M: kafka-broker-failure's audit), and judge it alike: critical from 0.01% of the records produced.

import { describe, expect, it } from "vitest";
import { electionOnly, kafkaMessages as say } from "../../sim/kafka/messages.ts";
import { droppedSeverity } from "../../sim/metrics/index.ts";

describe("Kafka records-dropped and buffer-exhausted wording", () => {
  it("writes a small share with the digits it needs", () => {
    expect(say.dropped(32, 1_440_000, null)).toContain("32 records (0.002% of those produced)");
    expect(say.bufferExhausted(161_290, 1_440_000, 114.4, null, true)).toContain("161,290 records (11.20% of those produced)");
  });

  it("is a warning below 0.01% of the records produced, as for Kinesis, SQS and Firehose", () => {
    expect(droppedSeverity(32, 1_440_000)).toBe("warning");
    expect(droppedSeverity(161_290, 1_440_000)).toBe("critical");
  });
});

describe("an election-only outage", () => {
  const outage = (replicationFactor: number, offlineSeconds: number) => ({ offlineSeconds, belowMinIsrSeconds: 0, replicationFactor, minInsyncReplicas: 1 });

  it("is the failover working only where a follower can be elected", () => {
    expect(electionOnly(outage(3, 9))).toBe(true);
    expect(electionOnly(outage(3, 30))).toBe(false);
    // Replication factor 1 has no follower: a short outage is a run that ended during it
    // (kafka-broker-failure cut at 3 minutes read "the failover working" for its fragile topic).
    expect(electionOnly(outage(1, 2))).toBe(false);
    expect(say.unavailable(2, 2, outage(1, 2))).not.toContain("failover working");
  });
});
