// Every user-facing word of the cost model: line-item names and the assumptions the report prints.

import type { SqsUsage } from "../metrics/index.ts";

const hours = (value: number) => (value >= 10 ? value.toFixed(1) : value.toPrecision(3));

/** A span of hours as people say it: "45 s", "10 min", "2.5 h". */
const span = (valueHours: number) => {
  const seconds = valueHours * 3600;
  if (seconds < 120) return `${Number(seconds.toPrecision(3))} s`;
  if (seconds < 3600) return `${Number((seconds / 60).toPrecision(3))} min`;
  return `${Number(valueHours.toPrecision(3))} h`;
};

const percent = (fraction: number) => `${Number((fraction * 100).toPrecision(2))}%`;

export const items = {
  shardHours: "shard-hours",
  putPayloadUnits: "PUT payload units (25 KB each)",
  extendedRetention: "extended retention (24 h to 7 d)",
  longTermRetention: "long-term retention (beyond 7 d)",
  efoShardHours: (consumer: string) => `enhanced fan-out consumer-shard-hours (${consumer})`,
  efoRetrieval: (consumer: string) => `enhanced fan-out data retrieval (${consumer})`,
  retrieval: (consumer: string) => `data retrieval (${consumer})`,
  streamHours: "stream-hours",
  ingest: "data ingested (records rounded up to 1 KB)",
  brokerHours: (type: string) => `broker-hours (${type})`,
  instanceHours: (type: string) => `instance-hours (${type})`,
  mskStorage: "broker storage",
  ebsStorage: "EBS gp3 log volumes",
  crossAzProduce: "cross-AZ traffic: producers to leaders",
  crossAzFetch: (group: string) => `cross-AZ traffic: fetches (${group})`,
  crossAzReplication: "cross-AZ traffic: replication",
  sqsRequests: (what: string) => `requests: ${what}`,
  sqsFreeTier: "free tier",
} as const;

/** What each SQS usage name counts, as its line item says it. */
export const sqsRequestKinds: ReadonlyArray<{ usage: keyof SqsUsage; what: string }> = [
  { usage: "sendRequests", what: "send" },
  { usage: "receiveRequests", what: "receive (with messages)" },
  { usage: "emptyReceiveRequests", what: "empty receives" },
  { usage: "deleteRequests", what: "delete" },
  { usage: "changeVisibilityRequests", what: "change visibility" },
];

export const assumptions = {
  projection: (windowHours: number) =>
    `Monthly figures project the ${span(windowHours)} simulated after warm-up to a 30-day month of 720 hours (x${Number((720 / windowHours).toPrecision(4)).toLocaleString("en-US")}); quantities are the projected monthly ones.`,
  faultsProjected: (actions: readonly string[], windowHours: number) =>
    `The run's ${actions.join(", ")} fell in the simulated window, so the projection repeats ${actions.length === 1 ? "it" : "them"} every ${span(windowHours)} of the month: a month without such incidents may cost less or more (run the scenario without its timeline's faults to see).`,
  leftOut:
    "Left out: taxes, support plans, data transfer out of AWS, the people who run it, free tiers unless enabled, and the consumers' own compute.",
  estimated: (names: readonly string[]) => `Estimated prices (not seen on an AWS price page): ${names.join(", ")}.`,
  overridden: (names: readonly string[]) => `Prices set by the scenario: ${names.join(", ")}.`,
  kinesisWrites:
    "Kinesis PUT payload units and on-demand ingest count the records the stream accepted (data and partition key; KPL aggregates as sent); throttled attempts are not billed.",
  kinesisShardHours: "Shard-hours integrate the open shard count over time, so resharding counts each shard for the time it was open.",
  kinesisRetention: (retentionHours: number) =>
    `Retention storage holds ${hours(retentionHours)} h of the simulated write rate in steady state.`,
  kinesisAdvantage:
    "On-demand Advantage rates are estimates; AWS requires an account-level minimum throughput commitment (a third party reports 25 MiB/s billed even if unused), which is not priced here.",
  kinesisPollingProvisioned: "Polling (GetRecords) reads carry no retrieval charge on provisioned streams.",
  azPlacement: (zones: number, crossAzUsdPerGB: number) =>
    `AZ placement: brokers and clients spread evenly over ${zones} Availability Zones; a client reaches the partition leader in another AZ ${zones - 1}/${zones} of the time (no follower fetching), and each GB moved between AZs costs $${crossAzUsdPerGB} (both sides billed).`,
  mskReplication: "MSK does not bill replication traffic between brokers.",
  ec2Replication: (copies: number) =>
    `Self-managed replication crosses AZs: replicas sit in different AZs (rack-aware placement), so ${copies} follower cop${copies === 1 ? "y" : "ies"} of each byte cross${copies === 1 ? "es" : ""} an AZ boundary.`,
  kafkaStorage: (retentionHours: number, replicationFactor: number, windowHours: number, filling: boolean, capped: boolean) =>
    `Broker storage is the bytes the logs kept, x replication factor ${replicationFactor}, held all month: each partition's stored bytes averaged over the run after warm-up (whole segments, deleted by the retention check every 5 min)${
      filling
        ? `, or, where that is less because the ${span(windowHours)} simulated fill ${percent(windowHours / retentionHours)} of the ${hours(retentionHours)} h retention, the steady state: the simulated ingest rate x the retention${capped ? ", capped by retention.bytes" : ""} (a new topic grows into it over its first ${hours(retentionHours)} h)`
        : capped
          ? " (retention.bytes capped it)"
          : ""
    }; bytes are the record batches as stored (values, keys, framing; not the 61-byte batch headers). Priced as if each broker's volume were provisioned at exactly what it holds; real clusters provision headroom (AWS suggests keeping disks 50-60% full), so set brokers.storage to price the volume you would provision.`,
  kafkaProvisionedStorage: (brokers: number, gib: number) =>
    `Broker storage is the provisioned volume, ${brokers} broker${brokers === 1 ? "" : "s"} x ${gib.toLocaleString("en-US")} GiB (brokers.storage), billed whole all month whatever it holds.`,
  kafkaUnevenStorage: (unevenness: number) =>
    `Partitions fill the brokers unevenly: the fullest broker holds ${unevenness.toFixed(2)}x an even share, and every broker's volume is sized for it (MSK sets one storage size for all brokers).`,
  ec2Controllers:
    "Self-managed brokers are also the KRaft controllers (combined mode); a cluster with dedicated controller nodes, as Kafka advises for critical production, adds their instance-hours and volumes.",
  kafkaFetchBytes: "Fetched bytes are the records each group consumed at the run's mean record size in the log.",
  kafkaBrokersAlwaysOn: "Brokers bill every hour of the month, down or not.",
  sqsChunks: "Each SQS API call bills one request per 64 KB of payload (at least one); empty receives are billed.",
  sqsFreeTier: (requests: number) => `The SQS free tier of ${requests.toLocaleString("en-US")} requests a month is applied.`,
} as const;
