// Kafka monthly line items (docs/reference.md §5): Amazon MSK (broker-hours, storage, client cross-AZ traffic) or
// self-managed Kafka on EC2 (instance-hours, EBS, cross-AZ replication and client traffic). The
// instance catalogue's kind decides which: kafka.* types are MSK brokers, plain EC2 types self-managed.

import { flinkAssumption, flinkLineItems } from "./flink.ts";
import { keptBytesByBroker, type KafkaResult } from "../metrics/index.ts";
import { brokerAvailabilityZones, instanceType, type KafkaSystem } from "../scenario/index.ts";
import { lambdaAssumption, lambdaLineItems } from "./lambda.ts";
import { assumptions, items } from "./messages.ts";
import type { PriceBook } from "./price-book.ts";
import type { BillingWindow, LineItem } from "./types.ts";
import { bytesPerGB, hourUs, monthHours } from "./window.ts";

/**
 * Availability Zones the cluster and its clients spread over (the assumption the report states): an MSK
 * cluster's 2 or 3 (docs/reference.md §3.3), self-managed brokers 3.
 */
export function availabilityZones(system: KafkaSystem): number {
  return brokerAvailabilityZones(system.brokers) ?? 3;
}

/** Share of client bytes that cross an AZ boundary: the leader is in another AZ (AZs - 1) / AZs of the time. */
export const clientCrossAzShare = (zones: number) => (zones - 1) / zones;

/**
 * Follower copies of each byte that cross AZs when replicas go round-robin over the AZs starting at
 * the leader's (rack-aware placement): replica k (k = 1 .. RF-1) shares the leader's AZ when k is a
 * multiple of the AZ count.
 */
export function crossAzReplicaCopies(replicationFactor: number, zones: number): number {
  const followers = replicationFactor - 1;
  return followers - Math.floor(followers / zones);
}

/** The fullest broker's bytes over an even share (1 when partitions fill brokers evenly, or hold nothing). */
export function brokerUnevenness(bytesByBroker: readonly number[]): number {
  const total = bytesByBroker.reduce((sum, bytes) => sum + bytes, 0);
  if (total <= 0) return 1;
  return Math.max(1, (Math.max(...bytesByBroker) * bytesByBroker.length) / total);
}

export function kafkaLineItems(system: KafkaSystem, result: KafkaResult, window: BillingWindow, prices: PriceBook): { lineItems: LineItem[]; assumptions: string[] } {
  const type = system.brokers.instanceType;
  const managed = instanceType(type).kind === "msk";
  const usage = result.usage;
  const monthlyGB = (bytes: number) => (bytes * window.monthlyFactor) / bytesPerGB;
  const rf = system.topic.replicationFactor;
  const zones = availabilityZones(system);
  const crossAzShare = clientCrossAzShare(zones);
  const retentionHours = system.topic.retention / hourUs;
  // Log bytes (values, keys, framing, batch headers) are what the disks hold and the clients send.
  const logBytes = usage.logBytes;
  // The bytes the logs kept, on every replica; every broker's volume is sized for the fullest one (MSK
  // sets one size for all brokers), held for the month: GB-months.
  const kept = keptBytesByBroker(usage.storageByPartition, system.brokers.count, { retentionUs: system.topic.retention, retentionBytes: system.topic.retentionBytes }, window.seconds);
  const unevenness = brokerUnevenness(kept.bytes);
  // A provisioned volume (brokers.storage, GiB) bills whole whatever it holds (docs/reference.md §5).
  const provisioned = system.brokers.storage;
  const storedGB = provisioned !== undefined ? provisioned * system.brokers.count : (Math.max(0, ...kept.bytes) * system.brokers.count) / bytesPerGB;
  const lineItems: LineItem[] = [
    prices.item(managed ? items.brokerHours(type) : items.instanceHours(type), `instance.${type}`, system.brokers.count * monthHours),
    prices.item(managed ? items.mskStorage : items.ebsStorage, managed ? "msk.storage" : "ebs.gp3.storage", storedGB),
    prices.item(items.crossAzProduce, "dataTransfer.crossAz", monthlyGB(logBytes) * crossAzShare),
  ];
  for (const group of [...system.consumerGroups, ...system.flinkApplications]) {
    lineItems.push(prices.item(items.crossAzFetch(group.name), "dataTransfer.crossAz", monthlyGB(usage.bytesConsumedByGroup[group.name] ?? 0) * crossAzShare));
  }
  const copies = crossAzReplicaCopies(rf, zones);
  if (!managed && copies > 0) lineItems.push(prices.item(items.crossAzReplication, "dataTransfer.crossAz", monthlyGB(logBytes) * copies));
  const notes = [
    assumptions.azPlacement(zones, prices.price("dataTransfer.crossAz").value),
    managed ? assumptions.mskReplication : assumptions.ec2Replication(copies),
    provisioned !== undefined ? assumptions.kafkaProvisionedStorage(system.brokers.count, provisioned) : assumptions.kafkaStorage(retentionHours, rf, window.hours, kept.filling, kept.capped),
    assumptions.kafkaBrokersAlwaysOn,
  ];
  if (unevenness > 1.005 && provisioned === undefined) notes.push(assumptions.kafkaUnevenStorage(unevenness));
  if (!managed) notes.push(assumptions.ec2Controllers);
  if (system.consumerGroups.length > 0) notes.push(assumptions.kafkaFetchBytes);
  const flink = flinkLineItems(result.consumers, window, prices);
  if (flink.length > 0) {
    lineItems.push(...flink);
    notes.push(flinkAssumption);
  }
  const lambda = lambdaLineItems(result.consumers, window, prices);
  if (lambda.length > 0) {
    lineItems.push(...lambda);
    notes.push(lambdaAssumption);
  }
  return { lineItems, assumptions: notes };
}
