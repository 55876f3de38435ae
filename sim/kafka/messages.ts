// Every sentence the Kafka model says in its findings: the cause, and what to do about it.

const pct = (fraction: number): string => `${(fraction * 100).toFixed(fraction >= 10 ? 0 : 1)}%`;
const duration = (ms: number): string =>
  ms >= 7_200_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;

export const kafkaMessages = {
  hotPartition: (id: string, share: number, partitions: number, topKey: string | undefined) =>
    `${id} took ${pct(share)} of the records (a fair share of ${partitions} partitions is ${pct(1 / partitions)})` +
    (topKey === undefined ? "." : `; its busiest key is "${topKey}".`) +
    " Its leader broker and the one consumer that owns it carry that load alone: use a higher-cardinality key, or more partitions if several busy keys share it.",
  saturatedBroker: (broker: number, utilization: number) =>
    `broker ${broker} was busy ${pct(utilization)} of its busiest report interval: requests queue and produce and fetch latency climb. Add brokers or partitions to spread leaders, or use a larger instance type.`,
  idleConsumers: (group: string, idle: number, partitions: number) =>
    `${group} has ${idle} consumer(s) with no partition: a group uses at most one consumer per partition (${partitions} here). Remove them or add partitions.`,
  fallingBehind: (group: string, lagMs: number, growthMsPerSecond: number) =>
    `${group} falls behind without recovering: its lag reached ${duration(lagMs)} and grew by ${growthMsPerSecond.toFixed(0)} ms per second over the second half of the run. Speed up processing or add consumers (and partitions, which bound them).`,
  expired: (group: string, expired: number) =>
    `${group} lost ${expired.toLocaleString("en-US")} records that retention deleted before it read them: process faster, add consumers and partitions, or raise retention.`,
} as const;
