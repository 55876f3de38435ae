// The price tables (sim/cost/prices/<region>.yaml): one per region the cost model can price. scenario/
// validates `region:` and the names in `pricing:` against them (docs/design.md, "Scenario files"); the cost
// model (layer 4) reads prices through this module, so there is one reader of the data files.
//
// The files ship with the code: a malformed table is a programmer error and throws, with zod's account
// of what is wrong.

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { instanceType, instanceTypeNames } from "./instance-catalogue.ts";

import { packagePath } from "../package-root.ts";

const pricesUrl = pathToFileURL(`${packagePath("sim", "cost", "prices")}/`);

/** The region every scenario is priced in unless it says otherwise. */
export const defaultRegion = "us-east-1";

const priceSchema = z.strictObject({
  value: z.number().refine((value) => Number.isFinite(value) && value >= 0, { error: "a number >= 0" }),
  unit: z.string().min(1),
  source: z.string().min(1),
  taken: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  confidence: z.enum(["✔", "◐", "✘"]),
  estimated: z.boolean().optional(),
  note: z.string().optional(),
});

const tableSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/),
  currency: z.literal("USD"),
  prices: z.record(z.string().regex(/^[a-z][A-Za-z0-9]*(\.[a-z0-9][A-Za-z0-9]*)+$/), priceSchema),
});

/** One unit price: USD per `unit` (the free-tier entry is a quantity; its note says so). */
export interface Price {
  name: string;
  value: number;
  unit: string;
  source: string;
  taken: string;
  estimated: boolean;
}

/** Prefix of the price names of broker and instance types: `instance.kafka.m5.large`. */
export const instancePricePrefix = "instance.";

const tables = new Map<string, ReadonlyMap<string, Price>>();

/** Regions with a price table, sorted. */
export function pricedRegions(): string[] {
  return readdirSync(pricesUrl)
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => name.slice(0, -".yaml".length))
    .sort();
}

/** Every price of a region by name: the table's, then `instance.<type>` for each catalogue type priced there. */
export function priceTable(region: string): ReadonlyMap<string, Price> {
  const cached = tables.get(region);
  if (cached !== undefined) return cached;
  const url = new URL(`${region}.yaml`, pricesUrl);
  const parsed = tableSchema.safeParse(parse(readFileSync(url, "utf8"), { uniqueKeys: true }));
  if (!parsed.success) throw new Error(`malformed price table ${fileURLToPath(url)}:\n${z.prettifyError(parsed.error)}`);
  if (parsed.data.region !== region) throw new Error(`price table ${fileURLToPath(url)} says region ${parsed.data.region}`);
  const table = new Map<string, Price>();
  for (const [name, entry] of Object.entries(parsed.data.prices)) {
    table.set(name, { name, value: entry.value, unit: entry.unit, source: entry.source, taken: entry.taken, estimated: entry.estimated ?? false });
  }
  for (const type of instanceTypeNames()) {
    const price = instanceType(type).prices[region];
    if (price === undefined) continue;
    const name = `${instancePricePrefix}${type}`;
    const unit = instanceType(type).kind === "msk" ? "broker-hour" : "instance-hour";
    table.set(name, { name, value: price.usdPerHour, unit, source: price.source, taken: price.taken, estimated: price.estimated ?? false });
  }
  tables.set(region, table);
  return table;
}

/** Price names a scenario's `pricing:` block may use in a region. */
export function priceNames(region: string): string[] {
  return [...priceTable(region).keys()];
}
