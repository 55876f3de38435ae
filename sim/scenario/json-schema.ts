// The JSON Schema of the scenario format (as a user writes it: human units, defaults shown), for
// editor completion through `# yaml-language-server: $schema=./scenario.schema.json`.

import { z } from "zod";
import { scenarioSchema } from "./schema.ts";

import { jsonSchemaDrafts, type JsonSchemaDraft } from "./schema-drafts.ts";

export { jsonSchemaDrafts, type JsonSchemaDraft };

/** The $id of the scenario format's schema: a name, not a URL (nothing has to be fetched). */
export const scenarioSchemaId = "urn:streamsim:schema:scenario";

export function scenarioJsonSchema(draft: JsonSchemaDraft = "2020-12"): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any", target: draft === "07" ? "draft-07" : "draft-2020-12" });
  return jsonSchemaText(schema, scenarioSchemaId, "streamsim scenario");
}

/** The schema as written: $schema, then $id and title, then the rest. */
export function jsonSchemaText(schema: Record<string, unknown>, id: string, title: string): string {
  const { $schema, ...rest } = schema;
  return `${JSON.stringify({ $schema, $id: id, title, ...rest }, null, 2)}\n`;
}
