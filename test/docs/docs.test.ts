// The repository documents itself: code cites docs/reference.md by section, every cited section is a
// heading there, nothing cites a document a clone does not have, every relative link in README.md and
// docs/ resolves (file and heading), and the README stays short and lists every folder.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(new URL(import.meta.url).pathname), "../..");
const self = relative(root, new URL(import.meta.url).pathname);
const section = "\u00a7";
const scanned = ["sim", "reports", "test", "bench", "scenarios"];
const textFile = /\.(ts|mts|mjs|js|json|ya?ml|md|csv|txt)$/;

function files(directory: string): string[] {
  return readdirSync(join(root, directory)).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(join(root, path)).isDirectory()) return files(path);
    return textFile.test(name) ? [path] : [];
  });
}

const sources = scanned.flatMap(files).filter((path) => path !== self);
const markdown = ["README.md", ...readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** Lines outside ``` fences, with their line numbers. */
function prose(text: string): { line: string; lineNumber: number }[] {
  let fenced = false;
  return text.split("\n").flatMap((line, index) => {
    if (line.startsWith("```")) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ line, lineNumber: index + 1 }];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchors(path: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { line } of prose(read(path))) {
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

// Section numbers of docs/reference.md: "## 1. Kinesis Data Streams" is 1, "### 1.5 Capacity..." is 1.5.
const referenceSections = new Set(
  prose(read("docs/reference.md")).flatMap(({ line }) => {
    const heading = /^#{2,3} (\d+(?:\.\d+)*)\.? /.exec(line);
    return heading ? [heading[1]!] : [];
  }),
);

// "docs/reference.md §1.2", "docs/reference.md §2, §4, §5", "docs/reference.md §1.2 and §1.4",
// "docs/reference.md §3.1-3.2", and a citation broken over two comment lines.
const number = "\\d+(?:\\.\\d+)*";
const citation = new RegExp(`docs/reference\\.md((?:(?:\\s|//|\\*|,|and)*${section}${number}(?:-${number})?)+)`, "g");
const token = new RegExp(`${section}(${number})(?:-(${number}))?`, "g");
// Sections of other documents that the code may cite, named just before the sign.
const externalSection = /(e-Handbook|NIST)[^\n]*\n?[^\n]*$/;

describe("citations of docs/reference.md", () => {
  it("has numbered sections to cite", () => {
    for (const id of ["0", "1", "1.1", "1.8", "2", "3", "3.5", "4", "5"]) expect(referenceSections).toContain(id);
  });

  it(`every ${section}N cited in sim, reports, test, bench and scenarios is a heading of docs/reference.md`, () => {
    const problems: string[] = [];
    for (const path of sources) {
      const text = read(path);
      const covered = new Set<number>();
      for (const match of text.matchAll(citation)) {
        const runStart = match.index + match[0].length - match[1]!.length;
        for (const cited of match[1]!.matchAll(token)) {
          covered.add(runStart + cited.index);
          for (const id of [cited[1]!, cited[2]].filter((value) => value !== undefined)) {
            if (!referenceSections.has(id)) problems.push(`${path}: cites docs/reference.md ${section}${id}, which is not a heading there`);
          }
        }
      }
      for (let at = text.indexOf(section); at >= 0; at = text.indexOf(section, at + 1)) {
        if (covered.has(at) || externalSection.test(text.slice(Math.max(0, at - 160), at))) continue;
        const lineNumber = text.slice(0, at).split("\n").length;
        problems.push(`${path}:${lineNumber}: a ${section} citation that names no document (write docs/reference.md ${section}N)`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("nothing in the code or the docs points at a document outside the repository", () => {
    // Built from parts so that this file does not match itself.
    const outside = [["shared", "/"], ["streaming", "-facts"], ["facts ", section], ["DESIGN", ".md"], ["/wo", "rk/"]].map((parts) => parts.join(""));
    const problems = [...sources, ...markdown].flatMap((path) =>
      read(path)
        .split("\n")
        .flatMap((line, index) => outside.filter((needle) => line.includes(needle)).map((needle) => `${path}:${index + 1}: "${needle}"`)),
    );
    expect(problems).toEqual([]);
  });
});

describe("README.md and docs/", () => {
  it("every relative link resolves to a file in the repository, and every #anchor to one of its headings", () => {
    const problems: string[] = [];
    for (const path of markdown) {
      for (const { line, lineNumber } of prose(read(path))) {
        for (const link of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const target = link[1]!;
          if (/^[a-z]+:/.test(target)) continue;
          const [file, anchor] = target.split("#") as [string, string | undefined];
          const resolved = file === "" ? path : normalize(join(dirname(path), file));
          const where = `${path}:${lineNumber}: ${target}`;
          if (resolved.startsWith("..") || !existsSync(join(root, resolved))) problems.push(`${where}: no such file in the repository`);
          else if (anchor !== undefined && !(resolved.endsWith(".md") && anchors(resolved).has(anchor))) problems.push(`${where}: no such heading`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("the README stays under 20 KB and links every document in docs/", () => {
    const readme = read("README.md");
    expect(Buffer.byteLength(readme)).toBeLessThan(20 * 1024);
    const unlinked = readdirSync(join(root, "docs")).filter((name) => !readme.includes(`](docs/${name})`));
    expect(unlinked).toEqual([]);
  });

  it("the design's folder list names every folder", () => {
    const design = read("docs/design.md");
    const layout = design.slice(design.indexOf("### Every folder"));
    const block = layout.slice(layout.indexOf("```"), layout.indexOf("```", layout.indexOf("```") + 3));
    const topLevel = ["sim", "reports", "test", "bench", "bin", "docs", "scenarios", ".ci"];
    const folders = [
      ...topLevel,
      ...["sim", "reports", "test", "scenarios"].flatMap((parent) =>
        readdirSync(join(root, parent))
          .filter((name) => statSync(join(root, parent, name)).isDirectory())
          .map((name) => `${parent}/${name}`),
      ),
    ];
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const missing = folders.filter((folder) => !new RegExp(`(^|[^\\w/.])${escape(folder)}(?![\\w-])`, "m").test(block));
    expect(missing).toEqual([]);
  });
});
