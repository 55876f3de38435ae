// A Kafka broker's write capacity for the lab, from the instance catalogue the Kafka model uses
// (sim/cost/instances.yaml through scenario/'s resolver): the lower of its network-in baseline and
// its disk write throughput. Kafka partitions have no write limit of their own (docs/reference.md §3.5); this is
// a yardstick for the hottest partitions, not a limit the service enforces.

import { brokerCapacity, instanceTypeNames } from "../scenario/instance-catalogue.ts";
import type { BrokerWriteCapacity } from "./analyse.ts";

/** Instance type names a broker may be, in catalogue order. */
export function kafkaBrokerTypes(): string[] {
  return instanceTypeNames();
}

/** Null for a name the catalogue lacks. */
export function brokerWriteCapacity(instanceType: string): BrokerWriteCapacity | null {
  if (!instanceTypeNames().includes(instanceType)) return null;
  const capacity = brokerCapacity(instanceType);
  return { instanceType, writeBytesPerSecond: Math.min(capacity.networkInBytesPerSecond, capacity.diskWriteBytesPerSecond) };
}
