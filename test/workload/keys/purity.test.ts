// The key spaces must stay deterministic: no ambient randomness or clock under sim/workload/keys.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dir = fileURLToPath(new URL("../../../sim/workload/keys/", import.meta.url));

it("uses no Math.random, Date or performance clock", () => {
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
    const code = readFileSync(dir + name, "utf8").replace(/\/\/.*$/gm, "");
    expect(code, name).not.toMatch(/Math\.random|\bDate\b|performance\.now|process\.hrtime/);
  }
});
