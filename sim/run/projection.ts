// The work a run (or a sweep of runs) is about to do, projected before it starts, so an extreme but
// valid scenario (10,000 shards, 100,000 partitions, a month of simulated time, 100,000 runs) says
// what it will cost in records, memory and time before the user waits for it.

import type { Scenario } from "../scenario/types.ts";
import { projectedRecords } from "./work-budget.ts";

/** A pessimistic speed: the slower models simulate 2-4 M records a second (docs/performance.md). */
const recordsPerWallSecond = 2_000_000;
/** Bytes each report interval costs per shard, partition or consumer (a dozen Float64 series). */
const bytesPerUnitInterval = 12 * 8;
const baseBytes = 150 * 1024 ** 2;

export interface Projection {
  records: number;
  memoryBytes: number;
  wallSeconds: number;
}

export function projectRun(scenario: Scenario, runs = 1): Projection {
  const intervals = Math.ceil(scenario.durationUs / scenario.reportIntervalUs);
  const units = scenario.systems.reduce((sum, system) => sum + unitsOf(system), 0);
  const records = projectedRecords(scenario) * runs;
  return { records, memoryBytes: baseBytes + intervals * units * bytesPerUnitInterval, wallSeconds: records / recordsPerWallSecond };
}

/** Shards, partitions and consumers: each carries its own series. A new kind of system is a compile error here until it is counted. */
function unitsOf(system: Scenario["systems"][number]): number {
  switch (system.kind) {
    case "kinesis":
      return (system.capacity.mode === "provisioned" ? system.capacity.shards : 1) + system.consumers.length;
    case "kafka":
      return 1 + system.topic.partitions + system.consumerGroups.length;
    case "sqs":
      return 1 + system.consumers.length;
    case "firehose":
      return 2;
    default:
      return unknownKind(system);
  }
}

function unknownKind(system: never): never {
  throw new Error(`no projection for system ${JSON.stringify(system)}`);
}

/** A warning when the projection is large (over a minute, 1 GB or 1e9 records); undefined otherwise. */
export function projectionWarning(projection: Projection, what: string): string | undefined {
  const large = projection.wallSeconds > 60 || projection.memoryBytes > 1024 ** 3 || projection.records > 1e9;
  if (!large) return undefined;
  return (
    `warning: ${what} projects about ${projection.records.toPrecision(2)} records, ${Math.round(projection.memoryBytes / 1024 ** 2)} MB of memory ` +
    `and ${formatWall(projection.wallSeconds)} of computing (at ${recordsPerWallSecond / 1e6} M records/s); shorten it with --duration if that is not what you meant`
  );
}

function formatWall(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toPrecision(3)} h`;
}
