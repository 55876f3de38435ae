// The Direct PUT findings, in words (the delivery's are in sim/firehose-delivery/messages.ts) (detection is in findings.ts). Each names the cause and the fix.

export const say = {
  dropped: (dropped: number, produced: number, attempts: number) =>
    `${dropped} of ${produced} records were dropped after ${attempts} attempts throttled by the stream's Direct PUT quotas; raise producer.retry.maxAttempts, or ask for a higher quota (the three quotas rise together)`,
  throttled: (records: number, binding: string, peakRatio: number) =>
    `${records} record attempts were throttled (FailedPutCount): the producers offered up to ${(peakRatio * 100).toFixed(0)}% of the stream's ${binding} quota; ` +
    (binding === "requests/s" ? "send fuller PutRecordBatch calls (raise producer.batch.linger or maxRecords), or ask for a higher quota" : "ask AWS for a higher Direct PUT quota (records/s, requests/s and MiB/s rise together), or spread the load over more streams"),
};
