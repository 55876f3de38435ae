// Checks on the parsed YAML tree before it is turned into data: duplicate keys and nesting depth.
// The parser's own duplicate-key check compares every key with every earlier one of its mapping,
// which takes minutes for 200,000 keys; this one is linear. Deep nesting is refused here because
// building data from 5,000 nested levels would exhaust the call stack.

import { isMap, isPair, isScalar, isSeq, type Node } from "yaml";

/** Deeper nesting than any scenario needs (the format itself is at most about 8 levels deep). */
export const nestingDepthMax = 100;

export interface TreeProblem {
  offset: number;
  kind: "duplicate" | "depth";
  key?: string;
}

/** Duplicate keys (at the repeated key) and the first place nesting passes nestingDepthMax, in one walk. */
export function treeProblems(root: Node | null): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= nestingDepthMax) {
      problems.push({ offset: (node as Node).range?.[0] ?? 0, kind: "depth" });
      break;
    }
    if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
      continue;
    }
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      if (isScalar(pair.key) && pair.key.value !== "<<") {
        if (seen.has(pair.key.value)) problems.push({ offset: pair.key.range?.[0] ?? 0, kind: "duplicate", key: String(pair.key.value) });
        seen.add(pair.key.value);
      } else if (isMap(pair.key) || isSeq(pair.key)) stack.push({ node: pair.key, depth: depth + 1 });
      stack.push({ node: pair.value, depth: depth + 1 });
    }
  }
  return problems.sort((a, b) => a.offset - b.offset);
}
