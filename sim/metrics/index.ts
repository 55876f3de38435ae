export {
  LogHistogram,
  HISTOGRAM_BUCKET_SLOT_COUNT,
  HISTOGRAM_RELATIVE_ERROR_MAX,
  HISTOGRAM_VALUE_US_MAX,
  type HistogramBucket,
  type HistogramSummary,
} from "./histogram.ts";
export { SERIES_INTERVAL_COUNT_MAX, type SeriesOptions } from "./intervals.ts";
export {
  CounterSeries,
  GaugeSeries,
  type CounterSeriesArrays,
  type GaugeSeriesArrays,
} from "./series.ts";
export { droppedSeverity, newPartitionSeries, newProducerCounts, resultOfKind, sumProducerCounts, type ProducerCounts, type Finding, type Severity, type PartitionResult, type ConsumerResult, type SystemResult, type SystemResultOf, type SystemKind, type KinesisResult, type KafkaResult, type SqsResult, type FirehoseResult, type ModelContext } from "./system-result.ts";
export { firehoseUsageNames, newSqsUsage, sqsUsageNames, type FirehoseUsage, type FirehoseSeries, type KinesisUsage, type LeaseTableUsage, type KinesisSeries, type KafkaUsage, type KafkaCountedUsage, type KafkaPartitionStorage, type KafkaSeries, type KafkaBrokerMetric, type SqsUsage, type SqsSeries, type ProducerSeries } from "./system-kinds.ts";
export { fairDemandWithin, openUsWithin } from "./open-partitions.ts";
export type { SystemModel } from "./model.ts";
export { LagSamples, fallingBehind, fallingBehindEvidence, lagTrend, maxLagMs, type ConsumerCycle, type LagTrend } from "./trend.ts";
export { UsageCounter } from "./usage.ts";
export { ProducerMeter } from "./producer-meter.ts";
export { ConsumerMeter, lagSampleTimeUs, scheduleLagSamples, type ConsumerEndTerms, type ConsumerMeterOptions } from "./consumer-meter.ts";
export { backoffRetryText, countText, retentionText, type Acknowledgement, type BackoffRetry, type ConsumerConfiguration, type SystemConfiguration } from "./configuration.ts";
export { keptBytesByBroker } from "./kafka-storage.ts";
export type { LambdaConsumerStats } from "./lambda-result.ts";
export type { AutoscalingAction, AutoscalingStats } from "./autoscaling-result.ts";
export type { ConsumerAutoscalingStats, RecoveryEpisode, ScalingActivity } from "./consumer-autoscaling-result.ts";
export type { FirehoseConsumerStats } from "./firehose-consumer-result.ts";
export type { FlinkConsumerStats, FlinkSubtaskStats, FlinkWindowStats } from "./flink-result.ts";
export { parseRecordedMetrics, recordedMessages, cloudWatchStatistics, RECORDED_POINTS_MAX, type CloudWatchStatistic, type RecordedFile, type RecordedIssue, type RecordedSeries } from "./cloudwatch.ts";
