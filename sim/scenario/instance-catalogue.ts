// The instance catalogue (sim/cost/instances.yaml): the broker instance types a scenario may name and
// what each can do. scenario/ validates `brokers.instanceType` against it and resolves the type into the
// capacities the Kafka model uses, so models never read cost/ (docs/design.md, "Scenario files").
//
// The file ships with the code: a malformed catalogue is a programmer error and throws, with zod's
// account of what is wrong.

import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import { z } from "zod";

import { packagePath } from "../package-root.ts";

const catalogueUrl = pathToFileURL(packagePath("sim", "cost", "instances.yaml"));

const positive = z.number().refine((value) => Number.isFinite(value) && value > 0, { error: "a positive number" });

/** The hourly price of one broker or instance in a region, with where it comes from. */
const instancePriceSchema = z.strictObject({
  usdPerHour: positive,
  source: z.string().min(1),
  taken: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  confidence: z.enum(["✔", "◐", "✘"]),
  estimated: z.boolean().optional(),
});

const entrySchema = z.strictObject({
  description: z.string().min(1),
  kind: z.enum(["msk", "ec2"]),
  vcpus: z.number().int().min(1),
  memoryGiB: positive,
  /** Baseline network bandwidth per direction, decimal MB/s. */
  networkBaselineMBps: positive,
  /** Sustained write throughput to the log volume, decimal MB/s. */
  storageThroughputMBps: positive,
  /** Time one produce request occupies the broker (CPU per request / vCPUs), microseconds; zero: no per-request cost. */
  requestHandlingUs: z.number().int().min(0),
  /** By region: the cost model prices broker-hours (MSK) or instance-hours (EC2) with it. */
  prices: z.record(z.string().regex(/^[a-z]{2}-[a-z]+-\d$/), instancePriceSchema),
  sources: z
    .array(z.strictObject({ figure: z.string().min(1), source: z.string().min(1), confidence: z.enum(["✔", "◐", "✘"]) }))
    .min(1),
});

const catalogueSchema = z.strictObject({
  instanceTypes: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/), entrySchema)
    .refine((types) => Object.keys(types).length > 0, { error: "at least one instance type" }),
});

export type InstanceType = z.output<typeof entrySchema>;
export type InstancePrice = z.output<typeof instancePriceSchema>;

/** What one broker of an instance type can do, in the units the model works in. */
export interface BrokerCapacity {
  /** Bytes per second the broker can receive (clients' produce requests, follower fetch responses). */
  networkInBytesPerSecond: number;
  /** Bytes per second the broker can send (consumer and follower fetches). */
  networkOutBytesPerSecond: number;
  /** Bytes per second the broker can write to its log volume (all replicas it hosts). */
  diskWriteBytesPerSecond: number;
  /**
   * Time one produce request occupies the broker, excluding the transfer of its bytes: requests are
   * served one after another at this cost (the CPU time per request over the vCPUs working in parallel).
   */
  requestHandlingUs: number;
}

let catalogue: ReadonlyMap<string, InstanceType> | undefined;

function load(): ReadonlyMap<string, InstanceType> {
  if (catalogue !== undefined) return catalogue;
  const parsed = catalogueSchema.safeParse(parse(readFileSync(catalogueUrl, "utf8"), { uniqueKeys: true }));
  if (!parsed.success) throw new Error(`malformed instance catalogue ${fileURLToPath(catalogueUrl)}:\n${z.prettifyError(parsed.error)}`);
  // YAML mappings keep their order, and so do the record's string keys: names list in file order.
  catalogue = new Map(Object.entries(parsed.data.instanceTypes));
  return catalogue;
}

/** Every instance type name in the catalogue, in file order. */
export function instanceTypeNames(): string[] {
  return [...load().keys()];
}

/** The catalogue entry of an instance type; throws for a name the catalogue lacks (validate first). */
export function instanceType(name: string): InstanceType {
  const entry = load().get(name);
  if (entry === undefined) throw new Error(`instance type "${name}" is not in the instance catalogue (${instanceTypeNames().join(", ")})`);
  return entry;
}

const bytesPerMB = 1_000_000;

/**
 * A broker's capacities from its instance type. Network in and out are each the baseline bandwidth:
 * EC2 states instance bandwidth for inbound and outbound traffic at the same time (full duplex), so
 * receiving does not use up sending. Bursts above the baseline (network I/O credits) are not modelled.
 * Disk write is the lower of the volume's and the instance's EBS throughput (the catalogue's figure).
 */
export function brokerCapacity(name: string): BrokerCapacity {
  const entry = instanceType(name);
  const networkBytesPerSecond = Math.round(entry.networkBaselineMBps * bytesPerMB);
  return {
    networkInBytesPerSecond: networkBytesPerSecond,
    networkOutBytesPerSecond: networkBytesPerSecond,
    diskWriteBytesPerSecond: Math.round(entry.storageThroughputMBps * bytesPerMB),
    requestHandlingUs: entry.requestHandlingUs,
  };
}
