// A Flink application's parallelism over the run: the one it started with, then each restart's
// (autoscaling changes it at a restart). The subtask heatmap draws a subtask only while it ran, and the
// Flink table weighs a subtask's fair share by the parallelisms it ran at.

/** From fromUs until the next step's fromUs, the application ran `parallelism` subtasks. */
export interface ParallelismStep {
  fromUs: number;
  parallelism: number;
}

export function parallelismSteps(initial: number, restarts: ReadonlyArray<{ atUs: number; parallelism: number }>): ParallelismStep[] {
  return [{ fromUs: 0, parallelism: initial }, ...restarts.map((restart) => ({ fromUs: restart.atUs, parallelism: restart.parallelism }))];
}

/**
 * Subtask `index`'s fair share of the records between fromUs and toUs: at each moment 1/p of them when
 * it is one of the p subtasks running, none when it is not, averaged over the time (the records' rate
 * taken as even over the time). 1/p for a fixed parallelism.
 */
export function timeWeightedFairShare(steps: ParallelismStep[], index: number, fromUs: number, toUs: number): number {
  if (toUs <= fromUs) return 0;
  let weighted = 0;
  steps.forEach((step, s) => {
    const start = Math.max(fromUs, step.fromUs);
    const end = Math.min(toUs, steps[s + 1]?.fromUs ?? Infinity);
    if (end > start && index < step.parallelism) weighted += (end - start) / step.parallelism;
  });
  return weighted / (toUs - fromUs);
}
