// The JSON Schema of the scenario format (as a user writes it: human units, defaults shown), for
// editor completion through `# yaml-language-server: $schema=./scenario.schema.json`.

import { z } from "zod";
import { scenarioSchema } from "./schema.ts";

export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "streamsim scenario" }, null, 2)}\n`;
}
