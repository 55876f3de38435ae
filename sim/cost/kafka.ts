// Kafka monthly line items (docs/reference.md §5): Amazon MSK (broker-hours, storage, client cross-AZ traffic) or
// self-managed Kafka on EC2 (instance-hours, EBS, cross-AZ replication and client traffic). The
// instance catalogue's kind decides which: kafka.* types are MSK brokers, plain EC2 types self-managed.

import type { KafkaResult } from "../metrics/index.ts";
import { instanceType, type KafkaSystem } from "../scenario/index.ts";
import { assumptions, items } from "./messages.ts";
import type { PriceBook } from "./price-book.ts";
import type { BillingWindow, LineItem } from "./types.ts";
import { bytesPerGB, hourUs, monthHours } from "./window.ts";

/** Availability Zones the cluster and its clients spread over (the assumption the report states). */
export const availabilityZones = 3;

/** Share of client bytes that cross an AZ boundary: the leader is in another AZ (AZs - 1) / AZs of the time. */
export const clientCrossAzShare = (availabilityZones - 1) / availabilityZones;

/**
 * Follower copies of each byte that cross AZs when replicas go round-robin over the AZs starting at
 * the leader's (rack-aware placement): replica k (k = 1 .. RF-1) shares the leader's AZ when k is a
 * multiple of the AZ count.
 */
export function crossAzReplicaCopies(replicationFactor: number): number {
  const followers = replicationFactor - 1;
  return followers - Math.floor(followers / availabilityZones);
}

/**
 * The fullest broker's replica bytes over an even share (1 when partitions fill brokers evenly): with
 * one volume size for all brokers, storage is brokers x the fullest broker's need. From the usage's
 * replicatedBytesByBroker; 1 when the model did not count them.
 */
export function brokerUnevenness(replicatedBytesByBroker: readonly number[], brokerCount: number, replicationFactor: number): number {
  let total = 0;
  let fullest = 0;
  for (let broker = 0; broker < brokerCount; broker++) {
    const bytes = replicatedBytesByBroker[broker] ?? 0;
    total += bytes;
    fullest = Math.max(fullest, bytes);
  }
  if (total <= 0) return 1;
  // An even share is total / brokers; no broker holds more than one copy of a partition, so the share is
  // at most total / RF, and the unevenness at most brokers / RF.
  return Math.max(1, (fullest * brokerCount) / total);
}

export function kafkaLineItems(system: KafkaSystem, result: KafkaResult, window: BillingWindow, prices: PriceBook): { lineItems: LineItem[]; assumptions: string[] } {
  const type = system.brokers.instanceType;
  const managed = instanceType(type).kind === "msk";
  const usage = result.usage;
  const monthlyGB = (bytes: number) => (bytes * window.monthlyFactor) / bytesPerGB;
  const rf = system.topic.replicationFactor;
  const retentionHours = system.topic.retention / hourUs;
  // Log bytes (values, keys, framing, batch headers) are what the disks hold and the clients send.
  const logBytes = usage.logBytes;
  // Steady state: the log holds retention's worth of the ingest rate on every replica, however short the
  // run; every broker's volume is sized for the fullest one (MSK sets one size for all brokers).
  const unevenness = brokerUnevenness(usage.replicatedBytesByBroker, system.brokers.count, rf);
  const storedGB = ((logBytes / window.seconds) * retentionHours * 3600 * rf * unevenness) / bytesPerGB;
  const lineItems: LineItem[] = [
    prices.item(managed ? items.brokerHours(type) : items.instanceHours(type), `instance.${type}`, system.brokers.count * monthHours),
    prices.item(managed ? items.mskStorage : items.ebsStorage, managed ? "msk.storage" : "ebs.gp3.storage", storedGB),
    prices.item(items.crossAzProduce, "dataTransfer.crossAz", monthlyGB(logBytes) * clientCrossAzShare),
  ];
  for (const group of system.consumerGroups) {
    lineItems.push(prices.item(items.crossAzFetch(group.name), "dataTransfer.crossAz", monthlyGB(usage.bytesConsumedByGroup[group.name] ?? 0) * clientCrossAzShare));
  }
  const copies = crossAzReplicaCopies(rf);
  if (!managed && copies > 0) lineItems.push(prices.item(items.crossAzReplication, "dataTransfer.crossAz", monthlyGB(logBytes) * copies));
  const notes = [
    assumptions.azPlacement(prices.price("dataTransfer.crossAz").value),
    managed ? assumptions.mskReplication : assumptions.ec2Replication(copies),
    assumptions.kafkaStorage(retentionHours, rf, window.hours),
    assumptions.kafkaBrokersAlwaysOn,
  ];
  if (unevenness > 1.005) notes.push(assumptions.kafkaUnevenStorage(unevenness));
  if (!managed) notes.push(assumptions.ec2Controllers);
  if (system.consumerGroups.length > 0) notes.push(assumptions.kafkaFetchBytes);
  return { lineItems, assumptions: notes };
}
