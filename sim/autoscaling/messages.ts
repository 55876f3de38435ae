// Every sentence the autoscaling findings print; tests compare against these.

const s = (seconds: number): string => `${seconds.toLocaleString("en-US", { maximumFractionDigits: 1 })} s`;

export const autoscalingMessages = {
  /** "334.4 s": every duration of these findings, and the consumer autoscaling table's recovery time. */
  seconds: s,
  late: (consumer: string, startS: number, delayS: number, thresholdS: number, startupS: number, reactionS: number) =>
    `${consumer}: its lag passed the ${s(thresholdS)} recovery threshold at ${s(startS)}, and the first consumer added came into service ${s(delayS)} later: ${s(reactionS)} went by before the policy acted (its datapoints or polls), and ${s(startupS)} of start-up after that. Scale on a shorter metric period or fewer datapoints, a lower target, or keep more consumers in reserve.`,
  neverAdded: (consumer: string, startS: number, thresholdS: number, desired: number, max: number) =>
    `${consumer}: its lag passed the ${s(thresholdS)} recovery threshold at ${s(startS)} and no consumer was added before it fell back under it (or the run ended), though it ran ${desired} of at most ${max}. The policy's target or alarm timing never saw the backlog: lower the target.`,
  oscillation: (consumer: string, count: number, firstS: number, windowS: number) =>
    `${consumer}: it scaled out and back in (or in and back out) ${count} time${count === 1 ? "" : "s"} within ${s(windowS)}, first at ${s(firstS)}: the fleet oscillates. Lengthen the scale-in cooldown or stabilization window, or raise the target a little above the burst's backlog per consumer.`,
  idle: (consumer: string, peakIdle: number, partitions: number, idleSeconds: number) =>
    `${consumer}: up to ${peakIdle} member${peakIdle === 1 ? "" : "s"} sat idle beyond the topic's ${partitions} partitions (${s(idleSeconds)} of member time after warm-up): a Kafka partition is read by one member of a group, so replicas past the partition count do not lower the lag. Cap the replicas at the partition count (KEDA's allowIdleConsumers: false) or add partitions.`,
  atMax: (consumer: string, evaluations: number, max: number) =>
    `${consumer}: ${evaluations} evaluation${evaluations === 1 ? "" : "s"} asked for more than its maximum of ${max} consumers: the bound, not the policy, set the fleet's size.`,
  recovered: (consumer: string, episodes: number, longestS: number, startS: number, thresholdS: number, peakS: number) =>
    `${consumer}: recovery time ${s(longestS)}: its lag, above the ${s(thresholdS)} threshold from ${s(startS)} (peak ${s(peakS)}), fell back under it after ${s(longestS)}${episodes > 1 ? ` (the longest of ${episodes} episodes)` : ""}.`,
  notRecovered: (consumer: string, startS: number, thresholdS: number, peakS: number) =>
    `${consumer}: not recovered: its lag rose above the ${s(thresholdS)} threshold at ${s(startS)} (peak ${s(peakS)}) and was still above it when the run ended.`,
};
