// Key templates: literal text with `{name}` placeholders ("sensor-{i}", "{region}-{tier}-{i}").
// Braces that do not enclose an identifier are literal text.

import assert from "node:assert/strict";

export interface KeyTemplate {
  readonly source: string;
  /** Literal text around the placeholders: literals.length === names.length + 1. */
  readonly literals: readonly string[];
  /** Placeholder names in order of appearance (a name may repeat). */
  readonly names: readonly string[];
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function parseTemplate(source: string): KeyTemplate {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    literals.push(source.slice(last, match.index));
    names.push(match[1]);
    last = match.index + match[0].length;
  }
  literals.push(source.slice(last));
  return { source, literals, names };
}

/** Placeholder names without repeats, in order of first appearance. */
export function distinctNames(template: KeyTemplate): string[] {
  return [...new Set(template.names)];
}

/**
 * A formatter for templates whose only placeholder is `{i}` (the key index). When the key space
 * has more than one key the template must contain `{i}`, or every key would be the same string.
 */
export function indexFormatter(source: string, cardinality: number): (index: number) => string {
  const template = parseTemplate(source);
  for (const name of template.names) {
    assert(name === "i", `template ${JSON.stringify(source)} has placeholder {${name}}; only {i} is allowed here`);
  }
  assert(cardinality <= 1 || template.names.length > 0, `template ${JSON.stringify(source)} needs an {i} placeholder`);
  const { literals } = template;
  if (literals.length === 2) {
    const [head, tail] = literals;
    return (index) => head + index + tail;
  }
  return (index) => {
    let key = literals[0];
    for (let k = 1; k < literals.length; k++) key += index + literals[k];
    return key;
  };
}
