// charts/<name>.vl.json: each chart of a run (and of the key lab) also written as a Vega-Lite v6 spec
// with its data inline, which vega-lite's own compile() accepts, so it opens in the Vega Editor or Altair.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as vegaLite from "vega-lite";
import { writeReport } from "../../reports/write.ts";
import { writeKeysReport } from "../../reports/keys/write.ts";
import { vegaLiteFile, vegaLiteSchema } from "../../reports/charts/vega-lite-file.ts";
import { analyseKeys, keySetFromTemplate, parseFieldFlags } from "../../sim/keys/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioFile } from "../../sim/scenario/index.ts";

const folder = mkdtempSync(join(tmpdir(), "streamsim-vl-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Every .vl.json in charts/ parses, names the v6 schema, has only inline data, and compiles with vega-lite. */
function checkSpecs(directory: string): string[] {
  const names = readdirSync(join(directory, "charts")).filter((name) => name.endsWith(".vl.json"));
  for (const name of names) {
    const text = readFileSync(join(directory, "charts", name), "utf8");
    const spec = JSON.parse(text);
    expect(spec.$schema).toBe(vegaLiteSchema);
    expect(typeof spec.description).toBe("string");
    expect(text).not.toMatch(/"url"\s*:/);
    expect(text).toMatch(/"values"\s*:\s*\[\s*\{/);
    const compiled = vegaLite.compile(spec).spec;
    expect(compiled.data?.length ?? 0, name).toBeGreaterThan(0);
  }
  return names;
}

describe("Vega-Lite chart files", () => {
  it("writes one compilable spec with inline data beside each SVG of a run", async () => {
    const loaded = loadScenarioFile("test/cli/small.yaml", { durationUs: 20_000_000 });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const directory = join(folder, "run");
    await writeReport(runScenario(loaded.scenario), directory);
    const svgs = readdirSync(join(directory, "charts")).filter((name) => name.endsWith(".svg"));
    const specs = checkSpecs(directory);
    expect(specs.map((name) => name.replace(/\.vl\.json$/, ""))).toEqual(svgs.map((name) => name.replace(/\.svg$/, "")));
    expect(specs).toContain("write-utilization.vl.json");
  });

  it("writes the key lab's charts too", async () => {
    const fields = parseFieldFlags(["i=0..999:zipf=1.1"]);
    if (!fields.ok) throw new Error(fields.errors.join());
    const keys = keySetFromTemplate("k-{i}", fields.fields, true);
    if (!keys.ok) throw new Error(keys.errors.join());
    const directory = join(folder, "keys");
    await writeKeysReport(analyseKeys(keys.keySet, { kinesisShards: 4, kafkaPartitions: null, load: null }), directory, "test");
    expect(checkSpecs(directory).length).toBeGreaterThan(0);
  });

  it("keeps the shared look, puts one data row on a line, and reads back as the spec", () => {
    const spec = { title: "t", data: { values: [{ a: 1, b: "x{" }, { a: 2, b: "y" }] }, mark: "bar", encoding: { x: { field: "a", type: "quantitative" } }, config: { font: "Other" } } as never;
    const text = vegaLiteFile(spec, "caption");
    const parsed = JSON.parse(text);
    expect(parsed.config.font).toBe("Other");
    expect(parsed.config.background).toBe("white");
    expect(parsed.data.values).toEqual([{ a: 1, b: "x{" }, { a: 2, b: "y" }]);
    expect(text).toContain('{ "a": 2, "b": "y" }');
  });
});
