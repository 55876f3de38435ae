export { calibrate, defaultBandFraction, resolveLabel, simulatedPeriodValue, type CalibrationResult, type MetricCalibration, type RecordedInput } from "./compare.ts";
export { calibrationJson, calibrationMarkdown, writeCalibration } from "./write.ts";
export { metricTable, calibratedMetricNames } from "./metric-table.ts";
export { calibrationText } from "./messages.ts";
