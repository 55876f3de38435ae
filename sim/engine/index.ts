export { Simulation, EventBudgetError, type RunLimits, type RunResult } from "./simulation.ts";
export { EventQueue, PendingLimitError, type Handler } from "./queue.ts";
export { RandomStreams, type Uniform } from "./random.ts";
export { TokenBucket } from "./token-bucket.ts";
export { Deque } from "./deque.ts";
export { invariant, invariantFailed, InvariantError } from "./invariant.ts";
export { truncate } from "./truncate.ts";
export { roundHalfUp } from "./round.ts";
