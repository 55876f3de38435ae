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
  "sim/package-root.ts": 1,
  "sim/scenario": 2,
  "sim/workload": 2,
  "sim/metrics": 2,
  "sim/lambda": 2,
  "sim/firehose-delivery": 2,
  "sim/flink": 2,
  "sim/autoscaling": 2,
  "sim/kinesis": 3,
  "sim/kafka": 3,
  "sim/sqs": 3,
  "sim/firehose": 3,
  "sim/cost": 4,
  "sim/keys": 4,
  "sim/run": 4,
  "sim/sweep": 4,
  reports: 5,
  "sim/cli": 6,
  "sim/index.ts": 6,
};
const models = new Set(["sim/kinesis", "sim/kafka", "sim/sqs", "sim/firehose"]);

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

/**
 * The local modules a source text imports: `import … from`, `export … from`, side-effect imports
 * (`import "./x.ts"`, which run a module as surely as any other) and dynamic `import("./x.ts")`.
 */
function importSpecifiers(text: string): string[] {
  return [
    ...[...text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+["']([^"']+)["']/gms)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm)].map((m) => m[1]),
    ...[...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]),
  ];
}

function localImportsOf(file: string, text: string): string[] {
  return importSpecifiers(text)
    .filter((s) => s.startsWith("."))
    .map((s) => normalize(join(dirname(file), s)));
}

function localImports(file: string): string[] {
  return localImportsOf(file, readFileSync(file, "utf8"));
}

/** Every import of `importsByFile` (file -> the local modules it imports) that breaks the layering. */
function layeringViolations(importsByFile: Map<string, string[]>): string[] {
  const violations: string[] = [];
  for (const [file, targets] of importsByFile) {
    const from = partOf(file)!;
    for (const target of targets) {
      const to = partOf(target);
      if (to === undefined) {
        if (target.startsWith("sim") || target.startsWith("reports")) violations.push(`${file} imports unknown part ${target}`);
        continue;
      }
      if (layers[to] > layers[from]) violations.push(`${file} (layer ${layers[from]}) imports ${target} (layer ${layers[to]})`);
      if (models.has(from) && models.has(to) && from !== to) violations.push(`${file}: a system model imports another model (${target})`);
    }
  }
  return violations;
}

const files = [...sourceFiles("sim"), ...sourceFiles("reports")].map((file) => relative(".", file));

describe("architecture", () => {
  it("knows the layer of every source file", () => {
    expect(files.filter((file) => partOf(file) === undefined)).toEqual([]);
  });

  it("imports point one way: to the same or an earlier layer", () => {
    expect(layeringViolations(new Map(files.map((file) => [file, localImports(file)])))).toEqual([]);
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

  // The checks above pass on a clean tree; these show they would fail on a broken one.
  describe("the check itself", () => {
    it("reads every kind of import, side-effect imports included", () => {
      const text = [
        'import { a } from "../units/index.ts";',
        'import type { B } from "../metrics/index.ts";',
        'export { c } from "./c.ts";',
        'import "../kafka/register.ts";',
        "import './polyfill.ts';",
        'const lazy = await import("../../reports/index.ts");',
        'import { readFileSync } from "node:fs";',
      ].join("\n");
      expect(localImportsOf("sim/kinesis/model.ts", text)).toEqual(
        ["sim/units/index.ts", "sim/metrics/index.ts", "sim/kinesis/c.ts", "sim/kafka/register.ts", "sim/kinesis/polyfill.ts", "reports/index.ts"].map((path) => normalize(path)),
      );
    });

    it("catches an import of a later layer, a model importing another model, and an unknown part", () => {
      const violations = layeringViolations(
        new Map([
          ["sim/engine/queue.ts", [normalize("sim/scenario/load.ts")]],
          ["sim/kinesis/model.ts", [normalize("sim/kafka/partitioner.ts")]],
          ["sim/metrics/series.ts", [normalize("sim/nowhere/x.ts")]],
          ["sim/cost/pricing.ts", [normalize("sim/units/index.ts")]],
        ]),
      );
      expect(violations).toEqual([
        `sim/engine/queue.ts (layer 1) imports ${normalize("sim/scenario/load.ts")} (layer 2)`,
        `sim/kinesis/model.ts: a system model imports another model (${normalize("sim/kafka/partitioner.ts")})`,
        `sim/metrics/series.ts imports unknown part ${normalize("sim/nowhere/x.ts")}`,
      ]);
    });

    it("catches a side-effect import of another model", () => {
      const imports = localImportsOf("sim/sqs/queue.ts", 'import "../kinesis/shard.ts";\n');
      expect(layeringViolations(new Map([["sim/sqs/queue.ts", imports]]))).toEqual([`sim/sqs/queue.ts: a system model imports another model (${normalize("sim/kinesis/shard.ts")})`]);
    });
  });
});
