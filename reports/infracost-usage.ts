// An Infracost usage file (infracost-usage.yml, `infracost breakdown --usage-file`) from a run's
// monthly cost line items, so simulated usage flows into the cost reviews teams already run with
// Infracost (docs/cli.md; usage keys and their sources in docs/reference.md §9). Only keys Infracost
// documents are written: what Infracost takes from the Terraform configuration (shard counts, broker
// types and volume sizes) is left to it, and what it has no key for is listed in the file's header.
//
// Quantities come from the line items by their price name (sim/cost/prices/), already monthly (a
// 720-hour month, projected from the billed window) and in the units the cost model bills.

import { Document } from "yaml";
import type { Summary } from "./summary.ts";

type SystemSummary = Summary["systems"][number];
type LineItems = NonNullable<SystemSummary["cost"]>["lineItems"];

/** Kinesis price names and the aws_kinesis_stream usage key their quantity goes to. */
const kinesisKeys: ReadonlyArray<readonly [price: string, key: string]> = [
  ["kinesis.provisioned.putPayloadUnits", "monthly_provisioned_put_units"],
  ["kinesis.provisioned.efoRetrieval", "monthly_provisioned_efo_data_out_gb"],
  ["kinesis.provisioned.efoConsumerShardHour", "monthly_provisioned_efo_consumer_hours"],
  ["kinesis.onDemand.ingest", "monthly_on_demand_data_in_gb"],
  ["kinesis.onDemand.retrieval", "monthly_on_demand_data_out_gb"],
  ["kinesis.onDemand.efoRetrieval", "monthly_on_demand_efo_data_out_gb"],
  ["kinesis.onDemand.extendedRetention", "monthly_on_demand_extended_retention_gb"],
  // On-demand Advantage has no keys of its own: its data goes to the on-demand keys (priced by Infracost at Standard rates).
  ["kinesis.onDemandAdvantage.ingest", "monthly_on_demand_data_in_gb"],
  ["kinesis.onDemandAdvantage.retrieval", "monthly_on_demand_data_out_gb"],
  ["kinesis.onDemandAdvantage.efoRetrieval", "monthly_on_demand_efo_data_out_gb"],
  ["kinesis.onDemandAdvantage.extendedRetention", "monthly_on_demand_extended_retention_gb"],
];

/** The cost model's month (sim/cost): line items are monthly quantities of a 720-hour month. */
const hoursPerMonth = 720;

/** SQS bills a request per 64 KB chunk; the cost model's request counts are already chunks, so each is one 64 KB request. */
const sqsChunkKb = 64;

export interface InfracostUsage {
  /** resource address -> usage key -> value */
  readonly resourceUsage: Record<string, Record<string, number | string>>;
  /** What the run billed that no Infracost usage key carries, one sentence each. */
  readonly notWritten: string[];
}

export function infracostUsage(summary: Summary, region: string): InfracostUsage {
  const resourceUsage: Record<string, Record<string, number | string>> = {};
  const notWritten: string[] = [];
  let crossAzGB = 0;
  for (const system of summary.systems) {
    const items = system.cost?.lineItems ?? [];
    const name = terraformName(system.name);
    crossAzGB += sum(items, (price) => price === "dataTransfer.crossAz");
    if (system.kind === "kinesis") {
      const usage: Record<string, number> = {};
      for (const [price, key] of kinesisKeys) {
        const quantity = sum(items, (candidate) => candidate === price);
        if (items.some((item) => item.price === price)) usage[key] = (usage[key] ?? 0) + quantity;
      }
      resourceUsage[`aws_kinesis_stream.${name}`] = roundAll(usage);
      // Infracost prices provisioned shard-hours from the Terraform shard_count, a constant: a stream whose
      // shard count changed in the run (autoscaling, resharding) bills what the count averaged.
      const shardHours = items.find((item) => item.price === "kinesis.provisioned.shardHour");
      const meanShards = shardHours === undefined ? 0 : shardHours.quantity / hoursPerMonth;
      if (shardHours !== undefined && Math.abs(meanShards - Math.round(meanShards)) > 0.001) notWritten.push(`${system.name}: shard-hours (${round(shardHours.quantity)} a month, ${round(shardHours.quantity / hoursPerMonth)} shards on average) come from the Terraform shard_count, which no usage key overrides`);
      if (items.some((item) => item.price === "kinesis.provisioned.extendedRetentionShardHour")) notWritten.push(`${system.name}: extended retention is billed per shard-hour; Infracost's provisioned retention keys are in GB`);
      if (items.some((item) => item.price === "kinesis.longTermRetention")) notWritten.push(`${system.name}: long-term retention (GB-months) is not written`);
    } else if (system.kind === "sqs") {
      resourceUsage[`aws_sqs_queue.${name}`] = { monthly_requests: Math.round(sum(items, (price) => /^sqs\.(standard|fifo)\.requests$/.test(price))), request_size_kb: sqsChunkKb };
    } else if (system.kind === "kafka") {
      const instance = items.find((item) => item.price.startsWith("instance."));
      if (instance === undefined) continue;
      if (instance.price.startsWith("instance.kafka.")) {
        notWritten.push(`${system.name}: aws_msk_cluster takes no usage keys (Infracost prices its brokers and storage from the Terraform configuration)`);
      } else {
        // Self-managed Kafka on EC2: every broker runs all month (the cost model's 720 hours; Infracost assumes 730 without it).
        const brokers = Number(system.facts.brokers ?? 0);
        resourceUsage[`aws_instance.${name}[*]`] = { monthly_hrs: round(brokers > 0 ? toUnits(instance) / brokers : 0) };
        notWritten.push(`${system.name}: EBS gp3 volumes take no usage keys (Infracost prices their size from the Terraform configuration)`);
      }
    }
    // Managed Flink: aws_kinesisanalyticsv2_application takes the KPUs running the application (an
    // integer; Infracost adds the orchestration KPU and 50 GB of running storage per KPU itself).
    for (const item of items.filter((candidate) => candidate.price === "flink.kpuHour")) {
      const application = /\(([^()]*)\)$/.exec(item.item)?.[1];
      if (application === undefined) continue;
      const meanKpus = item.quantity / hoursPerMonth - 1;
      resourceUsage[`aws_kinesisanalyticsv2_application.${name}_${terraformName(application)}`] = { kinesis_processing_units: Math.max(1, Math.round(meanKpus)) };
      if (Math.abs(meanKpus - Math.round(meanKpus)) > 0.01) notWritten.push(`${system.name}/${application}: Infracost takes whole KPUs; the run averaged ${round(meanKpus)} (autoscaling), written as ${Math.max(1, Math.round(meanKpus))}`);
    }
    const others = items.filter((item) => /^(dynamodb|lambda|firehose|s3)\./.test(item.price));
    if (others.length > 0) notWritten.push(`${system.name}: ${[...new Set(others.map((item) => item.price.split(".")[0]))].join(", ")} line items are not written`);
  }
  if (crossAzGB > 0) resourceUsage[`aws_data_transfer.${region}`] = { region, monthly_intra_region_gb: round(crossAzGB) };
  return { resourceUsage, notWritten };
}

/** The usage file's YAML text, with a header saying where it came from and what it leaves out. */
export function infracostUsageYaml(summary: Summary, region: string, fileName = "infracost-usage.yml"): string {
  const usage = infracostUsage(summary, region);
  const document = new Document({ version: "0.1", resource_usage: usage.resourceUsage });
  document.commentBefore = [
    ` Infracost usage file written by streamsim ${summary.tool.version} from scenario ${summary.scenario} (seed ${summary.seed}):`,
    " monthly usage of a 720-hour month, projected from the simulated run. Use it with",
    ` \`infracost breakdown --path . --usage-file ${fileName}\`; resource addresses are the system names,`,
    " rename them to your Terraform addresses.",
    ...usage.notWritten.map((sentence) => ` Not written: ${sentence}.`),
  ].join("\n");
  return document.toString();
}

function sum(items: LineItems, match: (price: string) => boolean): number {
  return items.filter((item) => match(item.price)).reduce((total, item) => total + toUnits(item), 0);
}

/** A line item's quantity in single units ("million requests" -> requests). */
function toUnits(item: LineItems[number]): number {
  return item.unit.startsWith("million ") ? item.quantity * 1e6 : item.quantity;
}

/** Terraform resource names: letters, digits, '_' and '-', not starting with a digit or '-'. */
export function terraformName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function roundAll(usage: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(usage).map(([key, value]) => [key, key.endsWith("_units") ? Math.round(value) : round(value)]));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
