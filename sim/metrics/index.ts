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
export { newPartitionSeries, newProducerCounts, sumProducerCounts, type ProducerCounts, type Finding, type Severity, type PartitionResult, type ConsumerResult, type SystemResult, type ModelContext } from "./system-result.ts";
export { LagSamples, fallingBehind, fallingBehindLagMsMin, lagTrend, type LagTrend } from "./trend.ts";
export { UsageCounter } from "./usage.ts";
export { ConsumerMeter, lagSampleTimeUs, scheduleLagSamples, type ConsumerEndTerms, type ConsumerMeterOptions } from "./consumer-meter.ts";
