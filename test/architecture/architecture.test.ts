// docs/design.md's layering, read from the import lines: each part imports only parts of its own or
// earlier layers, a system model never imports another, only the CLI (and the public index)
// reach reports/, and nothing under sim/ reads the wall clock or global randomness.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Layer of each part (docs/design.md "Layout"). run/ composes the models and cost into a run, so it
// sits with cost and keys, below reports/.
const layers: Record<string, number> = {
  "sim/engine": 1,
  "sim/units": 1,
  "sim/scenario": 2,
  "sim/workload": 2,
  "sim/metrics": 2,
  "sim/kinesis": 3,
  "sim/kafka": 3,
  "sim/sqs": 3,
  "sim/cost": 4,
  "sim/keys": 4,
  "sim/run": 4,
  "sim/sweep": 4,
  reports: 5,
  "sim/cli": 6,
  "sim/index.ts": 6,
};
const models = new Set(["sim/kinesis", "sim/kafka", "sim/sqs"]);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function partOf(file: string): string | undefined {
  return Object.keys(layers)
    .filter((part) => file === part || file.startsWith(`${part}/`))
    .sort((a, b) => b.length - a.length)[0];
}

function localImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+["']([^"']+)["']/gms)].map((m) => m[1]);
  specifiers.push(...[...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
  return specifiers.filter((s) => s.startsWith(".")).map((s) => normalize(join(dirname(file), s)));
}

const files = [...sourceFiles("sim"), ...sourceFiles("reports")].map((file) => relative(".", file));

describe("architecture", () => {
  it("knows the layer of every source file", () => {
    expect(files.filter((file) => partOf(file) === undefined)).toEqual([]);
  });

  it("imports point one way: to the same or an earlier layer", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = partOf(file)!;
      for (const target of localImports(file)) {
        const to = partOf(target);
        if (to === undefined) {
          if (target.startsWith("sim") || target.startsWith("reports")) violations.push(`${file} imports unknown part ${target}`);
          continue;
        }
        if (layers[to] > layers[from]) violations.push(`${file} (layer ${layers[from]}) imports ${target} (layer ${layers[to]})`);
        if (models.has(from) && models.has(to) && from !== to) violations.push(`${file}: a system model imports another model (${target})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("only the CLI and the public index import reports/ from sim/", () => {
    const offenders = files.filter(
      (file) => file.startsWith("sim/") && !["sim/cli", "sim/index.ts"].includes(partOf(file)!) && localImports(file).some((t) => t.startsWith("reports")),
    );
    expect(offenders).toEqual([]);
  });

  it("nothing under sim/ reads the wall clock or global randomness, except the CLI's progress display", () => {
    const banned = /\bMath\.random\b|\bDate\.now\b|new Date\(\s*\)|\bperformance\.now\b|\bprocess\.hrtime\b/;
    const offenders = files.filter((file) => file.startsWith("sim/") && file !== "sim/cli/progress.ts").filter((file) => banned.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the check itself catches a violation", () => {
    expect(layers[partOf("sim/engine/queue.ts")!]).toBeLessThan(layers[partOf("sim/scenario/load.ts")!]);
    expect(localImports("sim/scenario/load.ts")).toContain(normalize("sim/units/index.ts"));
  });
});
