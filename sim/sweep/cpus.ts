// How many CPUs this process may use: the machine's (availableParallelism), or fewer when a cgroup
// quota caps the process, as in a Kubernetes pod with `limits.cpu: 2` on a 64-core node. Sweep workers
// are CPU-bound, so a worker per usable CPU is the most that adds speed.

import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

type ReadText = (path: string) => string;

const readText: ReadText = (path) => readFileSync(path, "utf8");

/**
 * The CPUs a cgroup quota allows, or null when no quota is set or none can be read. cgroup v2 keeps
 * "quota period" (or "max period") in cpu.max; v1 keeps cpu.cfs_quota_us (-1: none) and cpu.cfs_period_us.
 * The process's own cgroup (from /proc/self/cgroup) is tried before the root of the mount, which is
 * where a container sees its own cgroup.
 */
export function cgroupCpuLimit(read: ReadText = readText): number | null {
  const tryRead = (path: string): string | null => {
    try {
      return read(path).trim();
    } catch {
      return null;
    }
  };
  const own = tryRead("/proc/self/cgroup")
    ?.split("\n")
    .find((line) => line.startsWith("0::"))
    ?.slice(3);
  const v2Paths = [...(own !== undefined && own !== "/" && !own.includes("..") ? [`/sys/fs/cgroup${own}/cpu.max`] : []), "/sys/fs/cgroup/cpu.max"];
  for (const path of v2Paths) {
    const text = tryRead(path);
    if (text === null) continue;
    const match = /^(max|\d+)\s+(\d+)$/.exec(text);
    if (match === null || match[1] === "max") return null;
    return quotaCpus(Number(match[1]), Number(match[2]));
  }
  const quota = tryRead("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  const period = tryRead("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  if (quota === null || period === null || !/^-?\d+$/.test(quota) || !/^\d+$/.test(period)) return null;
  return Number(quota) < 0 ? null : quotaCpus(Number(quota), Number(period));
}

const quotaCpus = (quota: number, period: number): number | null => (quota > 0 && period > 0 ? Math.max(1, Math.ceil(quota / period)) : null);

/** CPUs this process may use: the machine's, capped by a cgroup quota when one is set. */
export function usableCpus(read: ReadText = readText, machine: number = availableParallelism()): number {
  const limit = cgroupCpuLimit(read);
  return limit === null ? machine : Math.min(machine, limit);
}
