// The key lab writes its tables without arquero (so `streamsim keys` starts fast); they must read as
// arquero's `from(rows).toMarkdown()` wrote them, byte for byte.

import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { markdownTable } from "../../../reports/keys/markdown-table.ts";

describe("markdownTable", () => {
  const cases: Record<string, Record<string, string>[]> = {
    "measures": [
      { measure: "traffic max/mean of the shards", value: "1.87" },
      { measure: "gini of the shards", value: "0.213" },
    ],
    "hottest slots with keys that need escaping": [
      { shard: "3", "distinct keys": "1,204", "traffic share": "31.20%", "top keys (share)": '"a|b" (12.00%), "c" (3.10%)' },
      { shard: "0", "distinct keys": "9", "traffic share": "0.50%", "top keys (share)": "" },
    ],
    "a column name with a bar": [{ "a|b": "x", "": "empty name" }],
    "numbers written as text stay text": [{ n: "12" }, { n: "-0.5" }, { n: "1e21" }],
    "no rows": [],
  };
  for (const [name, rows] of Object.entries(cases)) {
    it(`writes ${name} as arquero does`, () => {
      expect(markdownTable(rows)).toBe(aq.from(rows).toMarkdown());
    });
  }
});
