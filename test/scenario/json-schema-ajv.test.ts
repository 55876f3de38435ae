// The published JSON Schemas work in the validators users have: ajv reads draft-07 by default
// (`ajv`) and 2020-12 through `ajv/dist/2020`. Every example scenario, and a run's summary.json,
// validate under both drafts of `streamsim schema` (--draft 07 writes tuples as `items` arrays).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv as Ajv07 } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildSummary, summaryJson, summaryJsonSchema, summarySchemaId } from "../../reports/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { jsonSchemaDrafts, scenarioJsonSchema, scenarioSchemaId, type JsonSchemaDraft } from "../../sim/scenario/index.ts";
import { loadExample } from "../support/scenarios.ts";

const examples = readdirSync("scenarios").filter((name) => name.endsWith(".yaml")).sort();

function validator(draft: JsonSchemaDraft, schemaText: string) {
  const schema = JSON.parse(schemaText);
  // strict: an unknown keyword or a keyword of the other draft (prefixItems in draft-07) is an error;
  // union types (`"type": ["string", "number"]`) are standard JSON Schema, which strict mode asks to allow.
  const ajv = draft === "07" ? new Ajv07({ strict: true, allowUnionTypes: true, allErrors: true }) : new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  return ajv.compile(schema);
}

describe.each(jsonSchemaDrafts)("JSON Schema draft %s", (draft) => {
  const scenarioText = scenarioJsonSchema(draft);
  const summaryText = summaryJsonSchema(draft);

  it("names its draft and its $id", () => {
    const expected = draft === "07" ? "http://json-schema.org/draft-07/schema#" : "https://json-schema.org/draft/2020-12/schema";
    expect(JSON.parse(scenarioText)).toMatchObject({ $schema: expected, $id: scenarioSchemaId });
    expect(JSON.parse(summaryText)).toMatchObject({ $schema: expected, $id: summarySchemaId });
    if (draft === "07") expect(`${scenarioText}${summaryText}`).not.toContain("prefixItems");
  });

  it.each(examples)("validates %s with ajv", (file) => {
    const validate = validator(draft, scenarioText);
    const valid = validate(parse(readFileSync(join("scenarios", file), "utf8")));
    expect(valid ? [] : validate.errors, file).toEqual([]);
  });

  it("rejects a scenario with a misspelt field and a tuple of the wrong length", () => {
    const validate = validator(draft, scenarioText);
    const scenario = parse(readFileSync(join("scenarios", "kafka-uniform.yaml"), "utf8"));
    expect(validate({ ...scenario, durration: "1m" })).toBe(false);
    expect(validate({ ...scenario, duration: 5 })).toBe(false);
    // merge-shards takes a pair: the draft-07 flavour says so with an `items` array.
    const merge = (shards: number[]) => ({ ...scenario, timeline: [{ at: "1m", system: "k", action: "merge-shards", shards }] });
    expect(validate(merge([0, 1]))).toBe(true);
    expect(validate(merge([0, 1, 2]))).toBe(false);
    expect(validate(merge([0]))).toBe(false);
  });

  it("validates a run's summary.json with ajv", () => {
    const result = runScenario(loadExample("kafka-uniform.yaml", { durationUs: 20_000_000 }));
    const validate = validator(draft, summaryText);
    const valid = validate(JSON.parse(summaryJson(buildSummary(result))));
    expect(valid ? [] : validate.errors).toEqual([]);
  });
});
