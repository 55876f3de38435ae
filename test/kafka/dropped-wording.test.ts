// Kafka's drop findings write the share as every system's do ("0.002%", never "0.0%" of 32 records in
// 1.4 M: kafka-broker-failure's audit), and judge it alike: critical from 0.01% of the records produced.

import { describe, expect, it } from "vitest";
import { kafkaMessages as say } from "../../sim/kafka/messages.ts";
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
