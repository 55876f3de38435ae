// Replacing an output folder without leaving stale files and without touching anything streamsim did
// not write. Every writer (run, sweep, keys) writes its whole output into a staging folder first; only
// a complete output is put in place, so an interrupted run leaves the previous complete output.
//
// The folder records what streamsim wrote in a manifest (.streamsim-output.json). On the next run:
// - a folder that does not exist, or holds nothing but its manifest's files, is swapped whole: the
//   staging folder beside it is renamed into its place and the old one removed;
// - a folder that holds anything else (the user's own files, the shards of a sweep, a symbolic link
//   standing for the folder) is kept: each new file is renamed into it, then the files the previous
//   manifest lists and this run did not write are removed. Nothing unlisted is ever deleted.
// A manifest entry is only honoured if it names a regular file of a kind streamsim writes (.json .md
// .html .csv .svg .png) at the top of the folder or in charts/, so a crafted manifest cannot reach out.
//
// A run killed outright (kill -9, power loss) cannot clean up, so the next run does:
// - before the renames into a kept folder, the folder's manifest is replaced (one atomic rename) by one
//   listing the previous files and the new ones, so whatever point the renames reached, the manifest
//   lists every file of streamsim's there, and a later run removes the ones it does not write again;
// - the staging folders a killed run leaves (".NAME.streamsim-staging-PID-N" beside the folder, or
//   ".streamsim-staging-PID-N" inside it) are removed by the next run into that folder when their process
//   is gone and they hold nothing but streamsim's kinds of file; a "-previous" one (the old output, moved
//   aside during a whole-folder swap) is put back when the folder itself is missing, else removed.
//   Nothing else is ever removed, and never a live run's staging folder.

import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export const manifestName = ".streamsim-output.json";
const manifestFormat = "streamsim-output/1";
/** The file names a manifest may list: streamsim's own kinds of file, at the top or in charts/. */
const ownFile = /^(charts\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.(json|md|html|csv|svg|png)$/;
const chartsFolder = "charts";
/** The manifest of a merge in progress, written in the staging folder and renamed over the folder's. */
const pendingManifestName = ".streamsim-output-pending.json";
/** Staging folders beside the output ("." + its name + this + "PID-N", "-previous" while swapped out) and inside it (this + "PID-N"). */
const stagingInfix = ".streamsim-staging-";

function manifestText(files: string[]): string {
  return `${JSON.stringify({ format: manifestFormat, files }, null, 2)}\n`;
}

/** Writes one file of the output, by its name relative to the folder (e.g. "charts/lag.svg"). */
export type StageWriter = (name: string, content: string | Buffer) => void;

export interface StagedOutput {
  /** Final paths of the files written, in the order they were written. */
  files: string[];
}

/**
 * Runs `fill` against a staging folder, then puts its files in `directory` as described above. `fill`
 * writes through the writer it is given (or, for streamed files, into `stagingPath(name)` and calls
 * `record(name)`).
 */
export async function replaceOutput(
  directory: string,
  fill: (write: StageWriter, staging: { path: (name: string) => string; record: (name: string) => void }) => Promise<void>,
): Promise<StagedOutput> {
  const target = resolve(directory);
  removeStaleStaging(target);
  const staging = makeStaging(target);
  const names: string[] = [];
  const record = (name: string) => {
    if (!ownFile.test(name)) throw new Error(`streamsim output file name ${JSON.stringify(name)} is not of a kind the manifest accepts`);
    if (!names.includes(name)) names.push(name);
  };
  const path = (name: string) => {
    if (name.startsWith(`${chartsFolder}/`)) mkdirSync(join(staging.path, chartsFolder), { recursive: true });
    return join(staging.path, name);
  };
  try {
    await fill((name, content) => {
      writeFileSync(path(name), content);
      record(name);
    }, { path, record });
    writeFileSync(join(staging.path, manifestName), manifestText(names));
    if (staging.beside && swappable(target)) swapWhole(target, staging.path);
    else mergeInto(target, staging.path, names);
  } finally {
    rmSync(staging.path, { recursive: true, force: true });
  }
  return { files: names.map((name) => join(directory, name)) };
}

/** A staging folder beside the target (same file system, so renames are atomic); inside it when the parent cannot be written. */
function makeStaging(target: string): { path: string; beside: boolean } {
  try {
    return { path: freshFolder(join(dirname(target), `.${basename(target)}${stagingInfix}`)), beside: true };
  } catch {
    mkdirSync(target, { recursive: true });
    return { path: freshFolder(join(target, stagingInfix)), beside: false };
  }
}

/** A new folder named prefix + pid + a counter; made with mkdir's default mode (as the umask allows), unlike mkdtemp's 0700. */
function freshFolder(prefix: string): string {
  for (let attempt = 0; ; attempt++) {
    const path = `${prefix}${process.pid}-${attempt}`;
    try {
      mkdirSync(path);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 1000) throw error;
    }
  }
}

/** The files a folder's manifest lists and that are still streamsim's kind of file there; empty without a manifest. */
export function listedFiles(directory: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(directory, manifestName), "utf8"));
  } catch {
    return [];
  }
  const files = (parsed as { format?: unknown; files?: unknown }).files;
  if ((parsed as { format?: unknown }).format !== manifestFormat || !Array.isArray(files)) return [];
  return files.filter((name): name is string => typeof name === "string" && ownFile.test(name) && isRegularFile(join(directory, name)));
}

/** True when the target does not exist, or is a real folder holding only its manifest's files (and charts/). */
function swappable(target: string): boolean {
  let stats;
  try {
    stats = lstatSync(target);
  } catch {
    return true;
  }
  if (!stats.isDirectory()) return false;
  const listed = new Set(listedFiles(target));
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === manifestName && entry.isFile()) continue;
    if (entry.name === chartsFolder && entry.isDirectory()) {
      if (readdirSync(join(target, chartsFolder)).some((name) => !listed.has(`${chartsFolder}/${name}`))) return false;
      continue;
    }
    if (!entry.isFile() || !listed.has(entry.name)) return false;
  }
  return true;
}

function swapWhole(target: string, staged: string): void {
  let previous: string | null = null;
  try {
    lstatSync(target);
    previous = `${staged}-previous`;
    renameSync(target, previous);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  renameSync(staged, target);
  // The previous folder held only listed files (checked by swappable), so all of it was streamsim's.
  if (previous !== null) rmSync(previous, { recursive: true, force: true });
}

/** New files renamed over the old ones, then the previous manifest's files this run did not write removed. */
function mergeInto(target: string, staged: string, names: string[]): void {
  mkdirSync(target, { recursive: true });
  const previous = listedFiles(target);
  // Before any rename: a manifest listing the previous files and the new ones, put in place atomically,
  // so a run killed half way leaves every file of streamsim's listed for the next run to remove.
  const pending = join(staged, pendingManifestName);
  writeFileSync(pending, manifestText([...previous, ...names.filter((name) => !previous.includes(name))]));
  renameSync(pending, join(target, manifestName));
  if (names.some((name) => name.startsWith(`${chartsFolder}/`))) {
    const charts = join(target, chartsFolder);
    try {
      if (!lstatSync(charts).isDirectory()) throw new Error(`${charts} is in the way: it is not a folder, and streamsim writes its charts there`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      mkdirSync(charts);
    }
  }
  for (const name of names) renameSync(join(staged, name), join(target, name));
  for (const name of previous) if (!names.includes(name)) unlinkSync(join(target, name));
  renameSync(join(staged, manifestName), join(target, manifestName));
  if (!names.some((name) => name.startsWith(`${chartsFolder}/`))) {
    try {
      rmdirSync(join(target, chartsFolder)); // only when empty: a user's files there stay
    } catch {
      // absent, not empty, or not ours to remove
    }
  }
}

/**
 * Removes the staging folders a killed run left for this output (see the top of the file), or puts a
 * swapped-out previous output back when the folder itself is missing. Only folders named as streamsim
 * names them, whose process is gone, holding only streamsim's kinds of file; errors leave them be.
 */
function removeStaleStaging(target: string): void {
  const escaped = basename(target).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const beside = new RegExp(`^\\.${escaped}${stagingInfix.replaceAll(".", "\\.")}(\\d+)-\\d+(-previous)?$`);
  const inside = new RegExp(`^${stagingInfix.replaceAll(".", "\\.")}(\\d+)-\\d+$`);
  const stale: Array<{ path: string; previous: boolean }> = [];
  for (const [folder, pattern] of [[dirname(target), beside], [target, inside]] as const) {
    for (const name of entriesOf(folder)) {
      const match = pattern.exec(name);
      if (match === null || processAlive(Number(match[1]))) continue;
      const path = join(folder, name);
      if (holdsOnlyOwnFiles(path)) stale.push({ path, previous: match[2] !== undefined });
    }
  }
  for (const { path, previous } of stale) {
    try {
      if (previous && !exists(target)) renameSync(path, target);
      else rmSync(path, { recursive: true, force: true });
    } catch {
      // another run got there first, or it is not ours to touch after all
    }
  }
}

function entriesOf(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/**
 * Whether the process that named a staging folder or write-check file still runs (this process counts
 * as running: its files are live). The CLI's folder check uses it for its probes too.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** A real folder (not a link) holding only streamsim's kinds of file, its manifests, and charts/ of the same. */
function holdsOnlyOwnFiles(folder: string): boolean {
  try {
    if (!lstatSync(folder).isDirectory()) return false;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isFile() && (entry.name === manifestName || entry.name === pendingManifestName || ownFile.test(entry.name))) continue;
      if (entry.name === chartsFolder && entry.isDirectory()) {
        const charts = readdirSync(join(folder, chartsFolder), { withFileTypes: true });
        if (charts.every((chart) => chart.isFile() && ownFile.test(`${chartsFolder}/${chart.name}`))) continue;
      }
      return false;
    }
    return true;
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
