// The output folder is checked before anything is simulated, so a long run never ends in a stack
// trace because its folder cannot be written: the folder is created (as the report would create it)
// and a probe file is written and removed in it (a probe a killed run left behind is removed first).

import { lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { processAlive } from "../../reports/output-folder.ts";

/** Kernel file systems: their files are not data and writes may block or act on the machine. */
const specialRoots = ["/proc", "/sys", "/dev"];
/** Under /dev, shared memory is an ordinary (tmpfs) folder. */
const ordinaryUnderSpecial = ["/dev/shm"];

/** Why `directory` cannot take a report, in words; undefined when it can (it then exists). */
export function outputDirectoryProblem(directory: string): string | undefined {
  if (directory.trim() === "") return "--out is empty; expected a folder name (leave --out out for the default)";
  const absolute = resolve(directory);
  const existing = nearestExisting(absolute);
  const real = safeRealpath(existing);
  const under = (root: string) => real === root || real.startsWith(`${root}/`);
  // The report replaces its own files in the folder; the root of the file system is never a report's folder.
  if (existing === absolute && real === sep) return `${directory} is the root of the file system; give a folder for the report`;
  if (specialRoots.some(under) && !ordinaryUnderSpecial.some(under)) {
    return `${directory} is on ${real.split(sep).slice(0, 2).join(sep)}, a kernel file system, not a folder for reports`;
  }
  let stats;
  try {
    stats = statSync(existing);
  } catch (error) {
    return `${directory} cannot be used: ${reason(error)}`;
  }
  if (!stats.isDirectory()) {
    return existing === absolute ? `${directory} exists and is not a folder` : `${directory} lies under ${existing}, which is a file, not a folder`;
  }
  try {
    mkdirSync(absolute, { recursive: true });
    removeStaleProbes(absolute);
    const probe = resolve(absolute, `${probePrefix}${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    return `${directory} cannot be written: ${reason(error)}`;
  }
  return undefined;
}

const probePrefix = ".streamsim-write-check-";

/**
 * A run killed between writing its probe and removing it leaves the probe behind: the next check
 * removes probes of this name whose process is gone (empty regular files only; nothing else).
 */
function removeStaleProbes(directory: string): void {
  for (const name of readdirSync(directory)) {
    const match = /^\.streamsim-write-check-(\d+)$/.exec(name);
    if (match === null || processAlive(Number(match[1]))) continue;
    const path = resolve(directory, name);
    const stats = lstatSync(path);
    if (stats.isFile() && stats.size === 0) rmSync(path, { force: true });
  }
}

/** The path itself or its nearest ancestor that exists (a dangling symlink counts as existing). */
function nearestExisting(path: string): string {
  let current = path;
  for (;;) {
    try {
      lstatSync(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "the file system is read-only";
  if (code === "ENOTDIR") return "a part of the path is a file, not a folder";
  if (code === "ENOSPC") return "no space left on the device";
  if (code === "ELOOP") return "too many symbolic links";
  return code ?? (error as Error).message;
}
