// A reused output folder keeps no stale file of an earlier run, and streamsim never deletes a file it
// did not write: a folder holding only streamsim's files is swapped whole, a folder holding anything
// else gets streamsim's files replaced one by one, and a crafted manifest cannot make it delete
// anything but its own kinds of file inside the folder.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listedFiles, manifestName, replaceOutput } from "../../reports/output-folder.ts";
import { outputDirectoryProblem } from "../../sim/cli/output-dir.ts";
import { main } from "../../sim/cli/main.ts";

const root = mkdtempSync(join(tmpdir(), "streamsim-output-folder-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function writeFiles(directory: string, files: Record<string, string>): Promise<string[]> {
  const written = await replaceOutput(directory, async (write) => {
    for (const [name, content] of Object.entries(files)) write(name, content);
  });
  return written.files;
}

/** Every file under a folder, relative, sorted (staging folders would show up here). */
function tree(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
    .sort();
}

describe("replacing an output folder", () => {
  it("removes the files an earlier run wrote and this one did not (charts/*.png included)", async () => {
    const directory = join(root, "reuse");
    await writeFiles(directory, { "summary.md": "1", "charts/lag.svg": "1", "charts/lag.png": "1" });
    await writeFiles(directory, { "summary.md": "2", "charts/lag.svg": "2" });
    expect(tree(directory)).toEqual([manifestName, "charts/lag.svg", "summary.md"]);
    expect(readFileSync(join(directory, "summary.md"), "utf8")).toBe("2");
    expect(readdirSync(root).filter((name) => name.includes("staging"))).toEqual([]);
  });

  it("keeps a user's own files, and replaces only the manifest's", async () => {
    const directory = join(root, "shared");
    mkdirSync(join(directory, "charts"), { recursive: true });
    writeFileSync(join(directory, "notes.txt"), "mine");
    writeFileSync(join(directory, "charts", "my-drawing.svg"), "mine");
    writeFileSync(join(directory, "summary.md"), "mine, not in any manifest");
    await writeFiles(directory, { "summary.md": "1", "charts/lag.png": "1" });
    await writeFiles(directory, { "report.html": "2" });
    expect(tree(directory)).toEqual([manifestName, "charts/my-drawing.svg", "notes.txt", "report.html"]);
    expect(readFileSync(join(directory, "notes.txt"), "utf8")).toBe("mine");
  });

  it("writes through a symbolic link to a folder without replacing the link", async () => {
    const real = join(root, "real");
    mkdirSync(real);
    const link = join(root, "link");
    symlinkSync(real, link);
    await writeFiles(link, { "summary.md": "1", "charts/a.png": "1" });
    await writeFiles(link, { "summary.md": "2" });
    expect(statSync(link).isDirectory()).toBe(true);
    expect(tree(real)).toEqual([manifestName, "summary.md"]);
  });

  it("leaves the previous output whole when writing fails half way", async () => {
    const directory = join(root, "interrupted");
    await writeFiles(directory, { "summary.md": "complete", "charts/lag.svg": "complete" });
    await expect(
      replaceOutput(directory, async (write) => {
        write("summary.md", "half");
        throw new Error("killed");
      }),
    ).rejects.toThrow("killed");
    expect(readFileSync(join(directory, "summary.md"), "utf8")).toBe("complete");
    expect(tree(directory)).toEqual([manifestName, "charts/lag.svg", "summary.md"]);
    expect(readdirSync(root).filter((name) => name.includes("staging"))).toEqual([]);
  });

  it("honours only manifest entries naming streamsim's kinds of file inside the folder", async () => {
    const directory = join(root, "crafted");
    const outside = join(root, "outside.md");
    writeFileSync(outside, "keep");
    mkdirSync(directory);
    writeFileSync(join(directory, "keep.txt"), "keep");
    writeFileSync(join(directory, "keep.md"), "keep");
    mkdirSync(join(directory, "sub"));
    writeFileSync(join(directory, "sub", "x.md"), "keep");
    symlinkSync(outside, join(directory, "link.md"));
    const files = ["../outside.md", outside, "keep.txt", "sub/x.md", "link.md", "charts/../keep.md", ".hidden.md"];
    writeFileSync(join(directory, manifestName), JSON.stringify({ format: "streamsim-output/1", files }));
    expect(listedFiles(directory)).toEqual([]);
    await writeFiles(directory, { "summary.md": "1" });
    expect(tree(directory)).toEqual([manifestName, "keep.md", "keep.txt", "link.md", "sub/x.md", "summary.md"]);
    expect(readFileSync(outside, "utf8")).toBe("keep");
  });

  it("refuses a file name that is not streamsim's kind", async () => {
    await expect(writeFiles(join(root, "bad-name"), { "../x.md": "1" })).rejects.toThrow(/not of a kind/);
    await expect(writeFiles(join(root, "bad-name"), { "x.sh": "1" })).rejects.toThrow(/not of a kind/);
  });

  it("refuses the root of the file system and a file, before anything runs", () => {
    expect(outputDirectoryProblem("/")).toMatch(/root of the file system/);
    const file = join(root, "a-file");
    writeFileSync(file, "x");
    expect(outputDirectoryProblem(file)).toMatch(/not a folder/);
  });
});

describe("streamsim run into a reused folder", () => {
  it("first with --png, then without: no PNG is left, and no file is older than the second run", async () => {
    const directory = join(root, "cli-run");
    const run = async (...extra: string[]) => {
      await main(["node", "streamsim", "run", "test/cli/small.yaml", "--duration", "20s", "--quiet", "--out", directory, ...extra]);
      expect(process.exitCode ?? 0).toBe(0);
    };
    await run("--png");
    expect(tree(directory).some((name) => name.endsWith(".png"))).toBe(true);
    const secondStartMs = Date.now();
    await new Promise((done) => setTimeout(done, 20));
    await run();
    const files = tree(directory);
    expect(files.filter((name) => name.endsWith(".png"))).toEqual([]);
    for (const name of files) expect(statSync(join(directory, name)).mtimeMs, name).toBeGreaterThanOrEqual(secondStartMs);
    expect(existsSync(join(directory, "report.html"))).toBe(true);
  }, 120_000);
});
