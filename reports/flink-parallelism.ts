// A Flink application's parallelism over the run: the one it started with, then each restart's
// (autoscaling changes it at a restart). The subtask heatmap draws a subtask only while it ran.

/** From fromUs until the next step's fromUs, the application ran `parallelism` subtasks. */
export interface ParallelismStep {
  fromUs: number;
  parallelism: number;
}

export function parallelismSteps(initial: number, restarts: ReadonlyArray<{ atUs: number; parallelism: number }>): ParallelismStep[] {
  return [{ fromUs: 0, parallelism: initial }, ...restarts.map((restart) => ({ fromUs: restart.atUs, parallelism: restart.parallelism }))];
}
