// The price tables are data with provenance: every price has a source and the date it was taken,
// estimates say so, every instance type is priced in every region, and the figures are those of
// docs/reference.md §2, §4, §5.

import { describe, expect, it } from "vitest";
import { instanceType, priceNames, priceTable, pricedRegions } from "../../sim/scenario/index.ts";
import { instanceTypeNames } from "../../sim/scenario/instance-catalogue.ts";

describe("price tables", () => {
  it("us-east-1 is priced, and every price has a source and a date", () => {
    expect(pricedRegions()).toContain("us-east-1");
    for (const region of pricedRegions()) {
      for (const price of priceTable(region).values()) {
        expect(price.source.length, price.name).toBeGreaterThan(10);
        expect(price.taken, price.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(price.value, price.name).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("every broker and instance type of the catalogue has a price in every region", () => {
    for (const region of pricedRegions()) {
      for (const type of instanceTypeNames()) expect(priceNames(region), `${region} ${type}`).toContain(`instance.${type}`);
    }
  });

  it("holds the reference's us-east-1 figures (docs/reference.md §2, §4, §5)", () => {
    const value = (name: string) => priceTable("us-east-1").get(name)!.value;
    expect(value("kinesis.provisioned.shardHour")).toBe(0.015);
    expect(value("kinesis.provisioned.putPayloadUnits")).toBe(0.014);
    expect(value("kinesis.provisioned.extendedRetentionShardHour")).toBe(0.02);
    expect(value("kinesis.provisioned.efoConsumerShardHour")).toBe(0.015);
    expect(value("kinesis.provisioned.efoRetrieval")).toBe(0.013);
    expect(value("kinesis.longTermRetention")).toBe(0.023);
    expect(value("kinesis.onDemand.streamHour")).toBe(0.04);
    expect(value("kinesis.onDemand.ingest")).toBe(0.08);
    expect(value("kinesis.onDemand.retrieval")).toBe(0.04);
    expect(value("kinesis.onDemand.efoRetrieval")).toBe(0.05);
    expect(value("kinesis.onDemand.extendedRetention")).toBe(0.1);
    expect(value("msk.storage")).toBe(0.1);
    expect(value("ebs.gp3.storage")).toBe(0.08);
    expect(value("dataTransfer.crossAz")).toBe(0.02);
    expect(value("sqs.standard.requests")).toBe(0.4);
    expect(value("sqs.fifo.requests")).toBe(0.5);
    expect(value("sqs.freeTierRequests")).toBe(0);
    expect(value("instance.kafka.m5.large")).toBe(0.21);
    expect(value("instance.m5.xlarge")).toBe(0.192);
    expect(instanceType("kafka.m5.large").prices["us-east-1"].confidence).toBe("◐");
  });

  it("marks the rates no AWS price page confirmed as estimated", () => {
    const table = priceTable("us-east-1");
    const estimated = [...table.values()].filter((price) => price.estimated).map((price) => price.name).sort();
    expect(estimated).toEqual([
      "firehose.dynamicPartitioning.data",
      "firehose.dynamicPartitioning.objects",
      "firehose.formatConversion",
      "firehose.ingest",
      "instance.kafka.m7g.large",
      "instance.kafka.m7g.xlarge",
      "kinesis.onDemandAdvantage.efoRetrieval",
      "kinesis.onDemandAdvantage.extendedRetention",
      "kinesis.onDemandAdvantage.ingest",
      "kinesis.onDemandAdvantage.retrieval",
      "lambda.kafkaEventPollerUnit",
    ]);
  });
});
