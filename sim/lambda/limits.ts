// Lambda's published limits and billing rules the model uses (docs/reference.md §6).

/** Concurrency scaling: 1,000 new execution environments per 10 seconds per function (docs/reference.md §6.1). */
export const scalingBurst = 1000;
export const scalingPerSecond = 100;

/** Invocation payload limit of a synchronous invocation, 6 MB, taken as 6 MiB (docs/reference.md §6.1). */
export const invocationPayloadBytesMax = 6 * 1024 * 1024;

/** Duration billed: rounded up to 1 ms, times memory in GB (1 GB = 1,024 MB) (docs/reference.md §6.4). */
export function billedGbSeconds(durationUs: number, memoryMb: number): number {
  return (Math.ceil(durationUs / 1000) / 1000) * (memoryMb / 1024);
}

/** The shortest invocation: Lambda bills duration in 1 ms steps (docs/reference.md §6.4). */
export const invocationUsMin = 1000;
