// What bounds a Lambda consumer's parallel work, for the report's configuration table: the mapping's
// concurrent batches, unless the function's reserved concurrency is lower (the mapping then runs more
// batches than the function can take, and the rest are throttled: docs/reference.md §6).

export function lambdaConcurrencyBound(batches: number, batchesOf: string, reservedConcurrency: number | undefined): { instances: number; instancesOf: string } {
  if (reservedConcurrency === undefined || reservedConcurrency >= batches) return { instances: batches, instancesOf: batchesOf };
  return {
    instances: reservedConcurrency,
    instancesOf: `concurrent invocations at most (the function's reservedConcurrency; the mapping may run ${batches.toLocaleString("en-US")} batches at once, and those above it are throttled)`,
  };
}
