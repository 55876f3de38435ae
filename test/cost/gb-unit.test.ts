// One GB in every cost line: 2^30 bytes, as AWS bills GB and GB-months (docs/reference.md §0, units,
// source [S3-FAQ]: its worked example converts 2,638,827,906,662,400 byte-hours to 3,303.77 GB-months
// with 2^30 bytes to the GB). A line priced per decimal GB would be 7.4% dearer than AWS bills it, and
// two lines on different GBs would not compare: so the cost model has one divisor, and no other.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bytesPerGB } from "../../sim/cost/index.ts";

const costSources = readdirSync("sim/cost").filter((name) => name.endsWith(".ts")).map((name) => join("sim/cost", name));

describe("the cost model's GB", () => {
  it("is 2^30 bytes", () => {
    expect(bytesPerGB).toBe(2 ** 30);
    expect(bytesPerGB).toBe(1_073_741_824);
  });

  it("is the only byte-to-GB divisor in the cost code: no decimal GB (1e9, 1000 ** 3) and no second binary constant", () => {
    const decimal = /\b1e9\b|\b1_?000_?000_?000\b|1000 \*\* 3|10 \*\* 9|1e6 \* 1e3/;
    const binary = /1024 \*\* 3|2 \*\* 30|1_?073_?741_?824/;
    for (const file of costSources) {
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, index) => {
        expect(decimal.test(line), `${file}:${index + 1} ${line.trim()}`).toBe(false);
        if (!file.endsWith("window.ts")) expect(binary.test(line), `${file}:${index + 1} ${line.trim()}`).toBe(false);
      });
    }
    // Each file that prices bytes does it through bytesPerGB.
    for (const file of ["sim/cost/kinesis.ts", "sim/cost/kafka.ts"]) expect(readFileSync(file, "utf8")).toContain("/ bytesPerGB");
  });
});
