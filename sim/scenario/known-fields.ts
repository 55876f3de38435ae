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

/**
 * Accepted field names of the mapping at `path`. `document` is the whole parsed file: at every level
 * the union branches are narrowed by the discriminators the file states (kind, type, mode, ...), so a
 * Kinesis consumer is offered Kinesis consumer fields only.
 */
export function knownFieldsAt(path: readonly PathSegment[], document: unknown): string[] {
  rootSchema ??= z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
  let nodes = narrow([rootSchema], document);
  let data = document;
  for (const segment of path) {
    data = isRecord(data) || Array.isArray(data) ? (data as Record<string | number, unknown>)[segment] : undefined;
    nodes = narrow(nodes.flatMap((node) => step(node, segment)), data);
  }
  const names = new Set<string>();
  for (const node of nodes) for (const name of Object.keys(node.properties ?? {})) names.add(name);
  return [...names];
}

function branches(node: JsonSchemaNode): JsonSchemaNode[] {
  const alternatives = node.anyOf ?? node.oneOf ?? node.allOf;
  return alternatives === undefined ? [node] : alternatives.flatMap(branches);
}

/** The branches that fit `data`: those whose constants (discriminators) it matches, if any do. */
function narrow(nodes: JsonSchemaNode[], data: unknown): JsonSchemaNode[] {
  const all = nodes.flatMap(branches);
  if (!isRecord(data)) return all;
  const constants = (node: JsonSchemaNode) => Object.entries(node.properties ?? {}).filter(([, property]) => property.const !== undefined);
  const matching = all.filter((node) => {
    const fixed = constants(node);
    return fixed.length > 0 && fixed.every(([name, property]) => data[name] === property.const);
  });
  if (matching.length > 0) return matching;
  const fitting = all.filter((node) => constants(node).every(([name, property]) => data[name] === undefined || data[name] === property.const));
  return byFieldsStated(fitting, data);
}

/**
 * Branches told apart by no constant (a workload entry: synthetic producer or trace replay): those
 * naming the most of the fields the file states, when that singles some out.
 */
function byFieldsStated(nodes: JsonSchemaNode[], data: Record<string, unknown>): JsonSchemaNode[] {
  if (nodes.length < 2 || !nodes.every((node) => node.properties?.producer !== undefined)) return nodes;
  const score = (node: JsonSchemaNode) => Object.keys(data).filter((name) => node.properties?.[name] !== undefined).length;
  const best = Math.max(...nodes.map(score));
  return nodes.filter((node) => score(node) === best);
}

function step(node: JsonSchemaNode, segment: PathSegment): JsonSchemaNode[] {
  if (typeof segment === "number") {
    const item = node.prefixItems?.[segment] ?? node.items;
    return item === undefined ? [] : [item];
  }
  const property = node.properties?.[segment];
  if (property !== undefined) return [property];
  return typeof node.additionalProperties === "object" ? [node.additionalProperties] : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
