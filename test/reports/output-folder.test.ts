// A reused output folder keeps no stale file of an earlier run, and streamsim never deletes a file it
// did not write: a folder holding only streamsim's files is swapped whole, a folder holding anything
// else gets streamsim's files replaced one by one, and a crafted manifest cannot make it delete
// anything but its own kinds of file inside the folder.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
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

/** The pid of a process that has exited: a killed run's. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid!;
}

describe("after a run killed outright", () => {
  it("the next run removes the staging folders it left, beside the folder and inside it, and only those", async () => {
    const directory = join(root, "killed");
    await writeFiles(directory, { "summary.md": "1" });
    const dead = deadPid();
    const stale = join(root, `.killed.streamsim-staging-${dead}-0`);
    mkdirSync(join(stale, "charts"), { recursive: true });
    writeFileSync(join(stale, "summary.md"), "half");
    writeFileSync(join(stale, "charts", "lag.svg"), "half");
    const staleInside = join(directory, `.streamsim-staging-${dead}-3`);
    mkdirSync(staleInside);
    writeFileSync(join(staleInside, "report.html"), "half");
    // Kept: a live process's staging folder (pid 1 runs), one holding a file streamsim never writes,
    // another output's, and a name that only looks like one.
    const live = join(root, ".killed.streamsim-staging-1-0");
    const foreign = join(root, `.killed.streamsim-staging-${dead}-1`);
    const other = join(root, `.other.streamsim-staging-${dead}-0`);
    const lookalike = join(root, `killed.streamsim-staging-${dead}-0`);
    for (const folder of [live, foreign, other, lookalike]) {
      mkdirSync(folder);
      writeFileSync(join(folder, "summary.md"), "keep");
    }
    writeFileSync(join(foreign, "notes.txt"), "mine");
    await writeFiles(directory, { "summary.md": "2" });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(staleInside)).toBe(false);
    for (const folder of [live, foreign, other, lookalike]) expect(readFileSync(join(folder, "summary.md"), "utf8"), folder).toBe("keep");
    expect(tree(directory)).toEqual([manifestName, "summary.md"]);
  });

  it("puts back the previous output a killed swap had moved aside, when the folder itself is missing", async () => {
    const directory = join(root, "swapped");
    const aside = join(root, `.swapped.streamsim-staging-${deadPid()}-0-previous`);
    mkdirSync(aside);
    writeFileSync(join(aside, "summary.md"), "complete");
    writeFileSync(join(aside, manifestName), JSON.stringify({ format: "streamsim-output/1", files: ["summary.md"] }));
    await expect(
      replaceOutput(directory, async () => {
        throw new Error("interrupted again");
      }),
    ).rejects.toThrow("interrupted again");
    expect(readFileSync(join(directory, "summary.md"), "utf8")).toBe("complete");
    expect(existsSync(aside)).toBe(false);
  });

  it("lists every file of the new output in the folder's manifest before renaming any, so a merge stopped half way leaves nothing unlisted", async () => {
    const directory = join(root, "half-merged");
    mkdirSync(directory);
    writeFileSync(join(directory, "notes.txt"), "mine"); // a user's file: files are merged in one by one
    await writeFiles(directory, { "summary.md": "1", "charts/a.png": "1" });
    // A folder in the way of report.html stops the merge after summary.md and new.csv are in place.
    mkdirSync(join(directory, "report.html"));
    await expect(writeFiles(directory, { "summary.md": "2", "new.csv": "2", "report.html": "2" })).rejects.toThrow();
    expect(readFileSync(join(directory, "new.csv"), "utf8")).toBe("2");
    expect(listedFiles(directory).sort()).toEqual(["charts/a.png", "new.csv", "summary.md"]);
    rmSync(join(directory, "report.html"), { recursive: true });
    await writeFiles(directory, { "summary.md": "3" });
    expect(tree(directory)).toEqual([manifestName, "notes.txt", "summary.md"]);
  });

  it("removes a write-check probe a killed run left in the output folder, and nothing else", () => {
    const directory = join(root, "probed");
    mkdirSync(directory);
    const probe = join(directory, `.streamsim-write-check-${deadPid()}`);
    writeFileSync(probe, "");
    const notEmpty = join(directory, `.streamsim-write-check-${deadPid()}`);
    writeFileSync(notEmpty, "someone's data");
    expect(outputDirectoryProblem(directory)).toBeUndefined();
    expect(existsSync(probe)).toBe(false);
    expect(existsSync(notEmpty)).toBe(true);
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
