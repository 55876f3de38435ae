// The managed service's automatic scaling rule (docs/reference.md §8.6): one data point a minute, the
// application's CPU utilization (containerCPUUtilization, Maximum); 15 consecutive points at or above
// 75% double the current parallelism, 360 consecutive points (six hours) below 10% halve it, rounded
// up, never below the configured parallelism nor above ParallelismPerKPU x the KPU limit. Each change
// restarts the job.

export interface AutoscalingSettings {
  enabled: boolean;
  /** The application's KPU limit (a quota, 64 by default). */
  maxKpus: number;
  /** Take a snapshot as the job stops for scaling (SnapshotsEnabled) and resume from it; else from the last checkpoint. */
  snapshots: boolean;
}

export const scaleUpCpuMin = 0.75;
export const scaleUpMinutes = 15;
export const scaleDownCpuBelow = 0.1;
export const scaleDownMinutes = 360;

export class Autoscaler {
  private highMinutes = 0;
  private lowMinutes = 0;

  constructor(
    /** The configured parallelism: the floor of a scale-down. */
    private readonly floorParallelism: number,
    /** The most parallelism a scale-up may reach. */
    private readonly ceilingParallelism: number,
  ) {}

  /** A new minute's CPU data point: the parallelism to scale to, or null to stay. */
  observe(cpu: number, parallelism: number): number | null {
    this.highMinutes = cpu >= scaleUpCpuMin ? this.highMinutes + 1 : 0;
    this.lowMinutes = cpu < scaleDownCpuBelow ? this.lowMinutes + 1 : 0;
    if (this.highMinutes >= scaleUpMinutes) {
      this.reset();
      const up = Math.min(2 * parallelism, this.ceilingParallelism);
      return up > parallelism ? up : null;
    }
    if (this.lowMinutes >= scaleDownMinutes) {
      this.reset();
      const down = Math.max(Math.ceil(parallelism / 2), this.floorParallelism);
      return down < parallelism ? down : null;
    }
    return null;
  }

  /** A restart: the data points start again. */
  reset(): void {
    this.highMinutes = 0;
    this.lowMinutes = 0;
  }
}
