// Every sentence the KCL lease-table findings say: the cause, and what to do about it.

const number = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString("en-US") : Number(value.toPrecision(3)).toString());
const seconds = (value: number): string => (value >= 120 ? `${number(value / 60)} min` : `${number(value)} s`);

/** A consumer's checkpoints: mean gap per shard, what a crash replays, share of the table's writes, monthly write units. */
export interface CheckpointLoad {
  gapSeconds: number;
  replaySeconds: number;
  share: number;
  millionUnitsPerMonth: number;
  millionUnitsSavedPerMonth: number;
}

export const leaseMessages = {
  checkpointFrequent: (consumer: string, checkpoint: CheckpointLoad, renewalIntervalSeconds: number, alternativeSeconds: number) =>
    `${consumer} checkpoints every ${seconds(checkpoint.gapSeconds)} per shard on average, more often than its leases are renewed (every ${seconds(renewalIntervalSeconds)}): ` +
    `checkpoints are ${number(checkpoint.share * 100)}% of its lease table's writes, ${number(checkpoint.millionUnitsPerMonth)} million write units a month (priced in the cost table's lease-table lines). ` +
    `What they buy: a crash replays ${checkpoint.replaySeconds === 0 ? "nothing already processed (each batch is checkpointed when it completes)" : `${seconds(checkpoint.replaySeconds)} of records per shard`}. ` +
    `Checkpointing every ${alternativeSeconds} s (checkpointInterval: ${alternativeSeconds}s) would save ${number(checkpoint.millionUnitsSavedPerMonth)} million write units a month ` +
    `and replay up to ${alternativeSeconds} s of records per shard after a crash, as duplicates: choose it if the application tolerates them.`,
  tableThrottled: (consumer: string, checkpoints: number, renewals: number, writesPerSecond: number, capacity: number) =>
    `${consumer}'s provisioned lease table is too small: it needs ${number(writesPerSecond)} write units/s on average against ${capacity} WCU; ` +
    `${number(checkpoints)} checkpoint writes were throttled (each checkpoint waited for the next batch, so a crash would replay more) and ${number(renewals)} lease renewals were throttled ` +
    "(leases not renewed within failoverTime can be taken by other workers, moving shards needlessly). Raise writeCapacity, lengthen checkpointInterval, or use on-demand billing.",
  tableNearCapacity: (consumer: string, writeShare: number, readShare: number) =>
    `${consumer}'s provisioned lease table runs near its capacity: ${number(writeShare * 100)}% of its write units and ${number(readShare * 100)}% of its read units on average. ` +
    "A checkpoint burst or a failover (one take per lease) would be throttled once the 300 s of burst capacity is spent: raise the capacity or use on-demand billing.",
  manyShardsPerWorker: (consumer: string, leasesPerWorker: number, workers: number, renewalThreads: number) =>
    `${consumer} runs ${number(leasesPerWorker)} shards per worker on ${workers} worker${workers === 1 ? "" : "s"}, more than the KCL's ${renewalThreads} lease renewal threads: ` +
    "a lost worker stops that many shards until their leases fail over, and the survivors then take them all at once. Add workers or spread the shards over more of them.",
};
