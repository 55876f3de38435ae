// Human units at the edges of the simulator: scenario parsing and report writing.

export * from "./errors.ts";
export * from "./duration.ts";
export * from "./size.ts";
export * from "./rate.ts";
export * from "./share.ts";
