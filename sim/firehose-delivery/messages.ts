// A Firehose delivery's findings, in words (detection is in findings.ts). Each names the cause and the fix.

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toPrecision(3)} MiB`;
const secs = (us: number): string => `${Math.round(us / 1e6)} s`;

export const say = {
  smallObjects: (objects: number, meanBytes: number, perHour: number, cause: string, fix: string) =>
    `${objects} S3 objects of ${mib(meanBytes)} on average (${perHour.toFixed(0)} an hour): ${cause}; ${fix}. Many small objects cost S3 PUT requests and slow the queries that read them`,
  causeInterval: (intervalUs: number, bytesPerSecond: number) =>
    `the ${secs(intervalUs)} buffer interval flushes before the buffer fills (the stream takes ${mib(bytesPerSecond)}/s)`,
  causeSize: (sizeBytes: number) => `the ${mib(sizeBytes)} buffer size hint flushes them that small`,
  causePartitions: (partitions: number) => `dynamic partitioning splits the stream over up to ${partitions} active partitions, each flushed as its own objects`,
  fixInterval: (intervalUs: number) => `raise buffering.interval to about ${secs(intervalUs)}`,
  fixIntervalMax: () => `even the 900 s maximum interval cannot fill such objects at this rate; accept smaller objects or compact them later`,
  fixSize: (sizeBytes: number) => `raise buffering.size to ${mib(sizeBytes)}`,
  fixPartitions: () => `partition by a coarser key (fewer prefixes), or raise buffering.interval so each partition's buffer holds more`,
  freshness: (peakUs: number, targetUs: number, intervalUs: number) =>
    `DataFreshness reached ${secs(peakUs)}, above the ${secs(targetUs)} target: records wait up to the ${secs(intervalUs)} buffer interval, plus delivery and retries; lower buffering.interval (or buffering.size)`,
  ingestRounding: (billedRatio: number, meanBytes: number) =>
    `ingestion bills ${billedRatio.toFixed(1)}x the bytes sent: each record is rounded up to a multiple of 5 KB and the records average ${(meanBytes / 1024).toFixed(1)} KiB; ` +
    `packing several records into one (newline-delimited) of close to 5 KB, or a multiple, cuts the ingestion line by up to ${((1 - 1 / billedRatio) * 100).toFixed(0)}%`,
  backedUp: (records: number, overLimit: number, retryDurationUs: number, partitioned: boolean) => {
    const parts: string[] = [];
    if (overLimit > 0) parts.push(`${overLimit} arrived for a partition past the active-partition limit and went to the error output prefix (raise dynamicPartitioning.activePartitionsMax or partition by a coarser key)`);
    const failed = records - overLimit;
    if (failed > 0 && partitioned) parts.push(`${failed} failed delivery for the ${secs(retryDurationUs)} retry duration and went to the error output prefix (raise dynamicPartitioning.retryDuration, or fix the S3 errors)`);
    if (failed > 0 && !partitioned) parts.push(`${failed} failed delivery for ${secs(retryDurationUs)} and were lost, as Firehose keeps records 24 h at most (fix the S3 errors)`);
    return `${records} records did not reach their S3 prefix: ${parts.join("; ")}`;
  },
};
