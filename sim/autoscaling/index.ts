export { Autoscaler, activitiesKeptMax, type AutoscalerOptions, type ScalingTarget } from "./controller.ts";
export { KedaPolicy, TargetTrackingPolicy, hpaScaleUpPods, hpaTolerance, type Recommendation } from "./policy.ts";
export { recoveryEpisodes, episodesKeptMax } from "./recovery.ts";
export { autoscalingFindings } from "./findings.ts";
export { autoscalingMessages } from "./messages.ts";
