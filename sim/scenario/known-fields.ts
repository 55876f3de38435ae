// The field names the scenario format accepts at a path, read from its JSON Schema, so that
// did-you-mean suggestions come from the same source as editor completion.

import { z } from "zod";
import { scenarioSchema } from "./schema.ts";
import type { PathSegment } from "./messages.ts";

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  prefixItems?: JsonSchemaNode[];
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
  const?: unknown;
}

let rootSchema: JsonSchemaNode | undefined;

/** Accepted field names of the mapping at `path`, narrowed by discriminators found in `input`. */
export function knownFieldsAt(path: readonly PathSegment[], input: unknown): string[] {
  rootSchema ??= z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
  let nodes = [rootSchema];
  for (const segment of path) nodes = nodes.flatMap((node) => step(node, segment));
  const mappings = nodes.flatMap(branches).filter((node) => node.properties !== undefined);
  const matching = mappings.filter((node) => matchesConstants(node, input));
  const names = new Set<string>();
  for (const node of matching.length > 0 ? matching : mappings) {
    for (const name of Object.keys(node.properties!)) names.add(name);
  }
  return [...names];
}

function branches(node: JsonSchemaNode): JsonSchemaNode[] {
  const alternatives = node.anyOf ?? node.oneOf ?? node.allOf;
  return alternatives === undefined ? [node] : alternatives.flatMap(branches);
}

function step(node: JsonSchemaNode, segment: PathSegment): JsonSchemaNode[] {
  return branches(node).flatMap((branch) => {
    if (typeof segment === "number") {
      const item = branch.prefixItems?.[segment] ?? branch.items;
      return item === undefined ? [] : [item];
    }
    const property = branch.properties?.[segment];
    if (property !== undefined) return [property];
    return typeof branch.additionalProperties === "object" ? [branch.additionalProperties] : [];
  });
}

/** A union branch fits the input when every constant it fixes (a discriminator) equals the input's. */
function matchesConstants(node: JsonSchemaNode, input: unknown): boolean {
  if (typeof input !== "object" || input === null) return false;
  const record = input as Record<string, unknown>;
  return Object.entries(node.properties!).every(
    ([name, property]) => property.const === undefined || record[name] === property.const,
  );
}
