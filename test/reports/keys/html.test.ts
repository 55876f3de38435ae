// report.html of the key lab renders the summary's markdown: the split advice's timeline entries are a
// fenced YAML block, which must read as code (indentation, line breaks, no fence marks), escaped.

import { describe, expect, it } from "vitest";
import { keysHtml, markdownBlock } from "../../../reports/keys/html.ts";
import { keysSummarySections } from "../../../reports/keys/summary-md.ts";
import { analyseKeys, keySetFromTemplate, parseFieldFlags } from "../../../sim/keys/index.ts";

describe("key lab report.html markdown", () => {
  it("renders a fenced block as <pre><code>, indentation kept, escaped, no backticks left", () => {
    const html = markdownBlock("Paste this:\n\n```yaml\ntimeline:\n  - { at: 0s, note: \"<b>&\" }\n\n    deeper\n```\n\nAfter `it`.");
    expect(html).toBe(
      [
        "<p>Paste this:</p>",
        '<pre><code class="language-yaml">timeline:\n  - { at: 0s, note: &quot;&lt;b&gt;&amp;&quot; }\n\n    deeper</code></pre>',
        "<p>After <code>it</code>.</p>",
      ].join("\n"),
    );
  });

  it("a fence right after prose lines, or left open, is still code", () => {
    expect(markdownBlock("Entries:\n```\n  a: 1\n```")).toBe("<p>Entries:</p>\n<pre><code>  a: 1</code></pre>");
    expect(markdownBlock("```yaml\n  a: `1`")).toBe('<pre><code class="language-yaml">  a: `1`</code></pre>');
  });

  it("puts the split advice's timeline entries in one code block", () => {
    // 12,000 records/s of 1 KiB over 10 shards: every shard is over its 1 MiB/s, so every one gets a split.
    const fields = parseFieldFlags(["region=us:3,eu:1", "user=1..2000"]);
    if (!fields.ok) throw new Error(fields.errors.join("; "));
    const keySet = keySetFromTemplate("{region}-{user}", fields.fields, true);
    if (!keySet.ok) throw new Error(keySet.errors.join("; "));
    const analysis = analyseKeys(keySet.keySet, { kinesisShards: 10, kafkaPartitions: null, load: { recordsPerSecond: 12000, recordSizeBytes: 1024 }, kafkaBroker: null });
    expect(analysis.kinesis!.splits.some((split) => split.kind === "split")).toBe(true);
    const { lead, spreads } = keysSummarySections(analysis);
    const html = keysHtml("t", "meta", lead, [], spreads);
    expect(html).not.toContain("```");
    expect(html).not.toMatch(/<code>`<\/code>/);
    const block = /<pre><code class="language-yaml">([^<]*)<\/code><\/pre>/.exec(html);
    expect(block).not.toBeNull();
    const lines = block![1].split("\n");
    expect(lines[0]).toBe("timeline:");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}- \{ at: 0s, system: kds, action: split-shard, shard: \d+, newStartingHashKey: &quot;\d+&quot; \}$/);
  });
});
