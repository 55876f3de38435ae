// Seeded mutations of scenario text for the fuzz test: some on the text (lines, characters, line
// endings), most on the parsed document (a value replaced by a hostile one, a key removed or added),
// so that both the YAML reader and the schema and checks behind it are exercised.

import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";

export type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Values a careless or hostile author might write anywhere. */
const hostileValues: unknown[] = [
  0, -1, 1, 2, 0.5, 4.1, 1e300, -1e300, 1e9, 9007199254740993, 2 ** 53, 1e-300, Number.NaN, Number.POSITIVE_INFINITY,
  "", " ", "0", "1", "-1", "4.1s", "41s", "0s", "1us", "0.5us", "1e3s", "2000d", "12d", "9007199254740991us", "1h30m", "1.5h30m",
  "10MB", "1MiB", "0B", "1TB", "1e300B", "-5KB", "kinesis", "kafka", "sqs", "fifo", "zipf", "uniform", "hotspot", "file", "composite",
  "../../../etc/passwd", "/etc/passwd", "/dev/zero", "a\u0000b", "x".repeat(5000), "{i}", "{i}{j}", "key-{i}", "\r", "é", "🙂",
  true, false, null, [], [1, 2, 3], {}, { a: 1 }, ["a", "a"],
];

/** Keys that exist somewhere in the scenario format, to be added where they do not belong. */
const someKeys = ["shards", "exponent", "hotKeys", "hotShare", "cardinality", "interval", "duration", "warmup", "range", "weights", "path", "max", "unknownField", "rampTo", "at"];

type Mutation = (text: string, random: Random) => string;

const textMutations: Mutation[] = [
  // Delete, duplicate or swap whole lines.
  (text, random) => {
    const lines = text.split("\n");
    lines.splice(Math.floor(random() * lines.length), 1);
    return lines.join("\n");
  },
  (text, random) => {
    const lines = text.split("\n");
    const at = Math.floor(random() * lines.length);
    lines.splice(at, 0, lines[at]);
    return lines.join("\n");
  },
  // A random character replaced, inserted or removed.
  (text, random) => {
    const at = Math.floor(random() * text.length);
    const junk = pick(random, [":", "-", " ", "\t", "{", "}", "[", "]", "'", '"', "#", "&", "*", "!", "|", ">", "%", "@", "`", "\u0000", "\r", "9", "a"]);
    return text.slice(0, at) + junk + text.slice(at + Math.floor(random() * 2));
  },
  // Truncated anywhere.
  (text, random) => text.slice(0, Math.floor(random() * text.length)),
  // Other line endings.
  (text) => text.replace(/\n/g, "\r\n"),
  (text) => text.replace(/\n/g, "\r"),
  // A number in the text replaced by an extreme one.
  (text, random) => {
    const numbers = [...text.matchAll(/\b\d+(\.\d+)?/g)];
    if (numbers.length === 0) return text;
    const match = pick(random, numbers);
    const replacement = pick(random, ["0", "1e300", "4.1", "9007199254740993", "-3", "100000", "1e9", "0.0000001"]);
    return text.slice(0, match.index) + replacement + text.slice(match.index! + match[0].length);
  },
];

const documentMutations: Array<(doc: Document, random: Random) => void> = [
  // A number moved to a plausible neighbour (most such scenarios stay valid and run).
  (doc, random) => {
    const leaves = leavesOf(doc.contents as Node | null, []).filter((path) => typeof doc.getIn(path) === "number");
    if (leaves.length === 0) return;
    const path = pick(random, leaves);
    const value = doc.getIn(path) as number;
    const factor = pick(random, [0, 0.5, 2, 10, 100]);
    doc.setIn(path, Number.isInteger(value) ? Math.round(value * factor) + pick(random, [0, 1]) : value * factor);
  },
  // A scalar replaced by a hostile value.
  (doc, random) => {
    const leaves = leavesOf(doc.contents as Node | null, []);
    if (leaves.length === 0) return;
    doc.setIn(pick(random, leaves), pick(random, hostileValues));
  },
  // A mapping entry removed.
  (doc, random) => {
    const maps = mapsOf(doc.contents as Node | null, []);
    const path = pick(random, maps);
    const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (!isMap(map) || map.items.length === 0) return;
    const pair = pick(random, map.items);
    if (isScalar(pair.key)) doc.deleteIn([...path, pair.key.value]);
  },
  // A key added where it may not belong.
  (doc, random) => {
    const path = pick(random, mapsOf(doc.contents as Node | null, []));
    doc.setIn([...path, pick(random, someKeys)], pick(random, hostileValues));
  },
];

/** One to three mutations of `text`, chosen and applied with `random`. */
export function mutate(text: string, random: Random): string {
  let current = text;
  const steps = 1 + Math.floor(random() * 3);
  for (let step = 0; step < steps; step++) {
    if (random() < 0.35) {
      current = pick(random, textMutations)(current, random);
      continue;
    }
    const doc = parseDocument(current, { uniqueKeys: false });
    if (doc.errors.length > 0 || doc.contents === null) continue;
    try {
      pick(random, documentMutations)(doc, random);
      current = doc.toString({ lineWidth: 0 });
    } catch {
      // A path the yaml library cannot set (e.g. into a scalar) leaves this step out.
    }
  }
  return current;
}

type Path = Array<string | number>;

function leavesOf(node: Node | null, path: Path): Path[] {
  if (isMap(node)) return node.items.flatMap((pair) => (isScalar(pair.key) ? leavesOf(pair.value as Node | null, [...path, pair.key.value as string]) : []));
  if (isSeq(node)) return node.items.flatMap((item, index) => leavesOf(item as Node | null, [...path, index]));
  return [path];
}

function mapsOf(node: Node | null, path: Path): Path[] {
  if (isMap(node)) {
    const inner = node.items.flatMap((pair) => (isScalar(pair.key) ? mapsOf(pair.value as Node | null, [...path, pair.key.value as string]) : []));
    return [path, ...inner];
  }
  if (isSeq(node)) return node.items.flatMap((item, index) => mapsOf(item as Node | null, [...path, index]));
  return [];
}
