export { Simulation, EventBudgetError, type RunLimits, type RunResult } from "./simulation.ts";
export { EventQueue, PendingLimitError, type Handler } from "./queue.ts";
export { RandomStreams, type Uniform } from "./random.ts";
export { TokenBucket } from "./token-bucket.ts";
