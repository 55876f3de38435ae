// The `autoscaling:` block of a provisioned Kinesis stream: CloudWatch alarms on a stream metric
// drive UpdateShardCount, the way Application Auto Scaling step policies or the AWS sample
// kinesis-auto-scaling do (docs/reference.md §1.10). Defaults are that sample's and CloudWatch's.

import { z } from "zod";
import { duration, intBetween, name } from "./fields.ts";

const minuteUs = 60_000_000;
const dayUs = 24 * 60 * minuteUs;

/** A CloudWatch period over a Kinesis stream metric: whole minutes (the stream publishes once a minute), at most a day. */
const period = () =>
  duration().refine((valueUs) => valueUs >= minuteUs && valueUs <= dayUs && valueUs % minuteUs === 0, {
    error: "a whole number of minutes from 1m to 24h (Kinesis publishes its stream metrics once a minute)",
  });

const utilization = () =>
  z
    .number({ error: "a number above 0 and at most 1 (a share of the open shards' write capacity)" })
    .refine((value) => Number.isFinite(value) && value > 0 && value <= 1, { error: "a number above 0 and at most 1 (a share of the open shards' write capacity)" });

const percent = () =>
  z
    .number({ error: "a percentage above 0 and at most 100" })
    .refine((value) => Number.isFinite(value) && value > 0 && value <= 100, { error: "a percentage above 0 and at most 100" });

interface AlarmDefaults {
  evaluationPeriods: number;
  datapointsToAlarm: number;
  percent: number;
}

/** An alarm and the step it triggers: M of N datapoints past the threshold, then a change of shards, then a cooldown. */
function alarmFields(defaults: AlarmDefaults) {
  return {
    evaluationPeriods: intBetween(1, 1440).prefault(defaults.evaluationPeriods).describe("N: the most recent datapoints the alarm looks at"),
    datapointsToAlarm: intBetween(1, 1440).prefault(defaults.datapointsToAlarm).describe("M: how many of them must breach the threshold"),
    percent: percent().optional().describe(`the step: shards added (scale-out) or removed (scale-in) as a percentage of the current count, rounded down, at least 1; default ${defaults.percent}`),
    cooldown: duration().prefault("5m").describe("after a scaling of this direction, no other until this has passed (Application Auto Scaling's default, 300 s)"),
  };
}

const datapointsWithin = (alarm: { evaluationPeriods: number; datapointsToAlarm: number }): boolean => alarm.datapointsToAlarm <= alarm.evaluationPeriods;
const datapointsIssue = { error: "a datapointsToAlarm not above evaluationPeriods (M out of N)", path: ["datapointsToAlarm"] };
const oneStep = (alarm: { percent?: number; targetUtilization?: number }): boolean => alarm.percent === undefined || alarm.targetUtilization === undefined;
const oneStepIssue = { error: "either percent or targetUtilization, not both", path: ["targetUtilization"] };

// Scale out when write utilization is at or above 75% for 5 of 5 five-minute datapoints; scale in
// below 25% for 57 of 60: the AWS sample kinesis-auto-scaling's alarms, which double and halve (docs/reference.md §1.10).
const utilizationScaleOut = z
  .strictObject({
    threshold: utilization().prefault(0.75).describe("scale out when the datapoint is at or above this share of capacity"),
    targetUtilization: utilization().optional().describe("the step instead of percent: as many shards as bring the newest datapoint to this share"),
    ...alarmFields({ evaluationPeriods: 5, datapointsToAlarm: 5, percent: 100 }),
  })
  .refine(datapointsWithin, datapointsIssue)
  .refine(oneStep, oneStepIssue)
  .prefault({});

const utilizationScaleIn = z
  .strictObject({
    threshold: utilization().prefault(0.25).describe("scale in when the datapoint is below this share of capacity"),
    targetUtilization: utilization().optional().describe("the step instead of percent: as few shards as bring the newest datapoint up to this share"),
    ...alarmFields({ evaluationPeriods: 60, datapointsToAlarm: 57, percent: 50 }),
  })
  .refine(datapointsWithin, datapointsIssue)
  .refine(oneStep, oneStepIssue)
  .prefault({});

// Iterator age: scale out when the largest GetRecords.IteratorAgeMilliseconds of a period is at or
// above the threshold; scale in below its own (0s, the default, never: a caught-up reader reports 0).
const ageScaleOut = z
  .strictObject({ threshold: duration().prefault("1m").describe("scale out when the period's largest iterator age is at or above this"), ...alarmFields({ evaluationPeriods: 5, datapointsToAlarm: 5, percent: 100 }) })
  .refine(datapointsWithin, datapointsIssue)
  .prefault({});
const ageScaleIn = z
  .strictObject({ threshold: duration().prefault("0s").describe("scale in when the period's largest iterator age is below this (0s: never)"), ...alarmFields({ evaluationPeriods: 60, datapointsToAlarm: 57, percent: 50 }) })
  .refine(datapointsWithin, datapointsIssue)
  .prefault({});

const common = {
  period: period().prefault("5m").describe("the alarms' CloudWatch period (the AWS sample's 5 minutes)"),
  publicationDelay: duration()
    .prefault("1m")
    .describe("how long after a period ends its datapoint reaches the alarm (our estimate: AWS states none)"),
  minShards: intBetween(1, 10_000).prefault(1),
  maxShards: intBetween(1, 10_000).prefault(10_000).describe("at most 10,000, UpdateShardCount's per-stream limit"),
};

export const kinesisAutoscaling = z.discriminatedUnion("metric", [
  z.strictObject({
    metric: z.enum(["incoming", "incoming-bytes", "incoming-records"]).describe("IncomingBytes and IncomingRecords (Sum per period) over the open shards' capacity; incoming: the larger of the two"),
    ...common,
    scaleOut: utilizationScaleOut,
    scaleIn: utilizationScaleIn,
  }),
  z.strictObject({
    metric: z.literal("iterator-age").describe("GetRecords.IteratorAgeMilliseconds, Maximum per period"),
    consumer: name().optional().describe("whose iterator age; default: the largest of the stream's GetRecords readers"),
    ...common,
    scaleOut: ageScaleOut,
    scaleIn: ageScaleIn,
  }),
]);

export type KinesisAutoscaling = z.output<typeof kinesisAutoscaling>;
