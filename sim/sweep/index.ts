export { planSweep, jobsFor, inRunOrder, replicationSeed, type PlanOptions, type RunJob, type RunRow, type SweepPlan } from "./plan.ts";
export { isRunList, parseRuns, parseShard, runsOfPart, runsOfShard, shardIndexVariables, type RunList, type Shard, type SweepPart } from "./shard.ts";
export { usableCpus } from "./cpus.ts";
export { runOne, type Summarise } from "./run-one.ts";
export { evaluateGoal, type CombinationVerdict, type GoalAnswer } from "./goal.ts";
export { runPool, type PoolOptions } from "./pool.ts";
export { sweepMessages } from "./messages.ts";
