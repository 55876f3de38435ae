// The findings every Lambda consumer of a stream (Kinesis or Kafka) shares, about the function rather
// than the mapping: invocations throttled for want of concurrency, records given up (discarded or sent
// to the on-failure destination), invocations past the function's timeout. The wording is the source's
// own (its remedies differ: parallelizationFactor on Kinesis, a Kafka topic as destination).

import type { ConsumerResult, Finding, LambdaConsumerStats } from "../metrics/index.ts";
import type { LambdaFunctionSpec } from "../scenario/lambda-schema.ts";

/** The source's wording of the shared findings. */
export interface LambdaFunctionMessages {
  throttled(consumer: string, throttles: number, peak: number, limit: number, reserved: number | undefined): string;
  discarded(consumer: string, given: number): string;
  sentToDestination(consumer: string, given: number): string;
  timeouts(consumer: string, timeouts: number, timeoutMs: number): string;
}

/** Throttles, records discarded or sent to the destination, and timeouts, in that order. */
export function lambdaFunctionFindings(consumer: ConsumerResult, stats: LambdaConsumerStats, fn: LambdaFunctionSpec, say: LambdaFunctionMessages): Finding[] {
  const findings: Finding[] = [];
  const subject = consumer.name;
  if (stats.throttles > 0) {
    findings.push({
      severity: "warning",
      code: "lambda-throttled",
      subject,
      message: say.throttled(subject, stats.throttles, stats.accountPeakConcurrency, stats.accountConcurrencyLimit, fn.reservedConcurrency),
      evidence: { throttles: stats.throttles, accountPeakConcurrency: stats.accountPeakConcurrency, accountConcurrencyLimit: stats.accountConcurrencyLimit, peakConcurrency: stats.peakConcurrency },
    });
  }
  if (stats.recordsDiscarded > 0) {
    findings.push({ severity: "critical", code: "lambda-records-discarded", subject, message: say.discarded(subject, stats.recordsDiscarded), evidence: { recordsDiscarded: stats.recordsDiscarded } });
  }
  if (stats.recordsSentToDestination > 0) {
    findings.push({ severity: "warning", code: "lambda-records-to-destination", subject, message: say.sentToDestination(subject, stats.recordsSentToDestination), evidence: { recordsSentToDestination: stats.recordsSentToDestination } });
  }
  if (stats.timeouts > 0) {
    findings.push({ severity: "warning", code: "lambda-timeouts", subject, message: say.timeouts(subject, stats.timeouts, fn.timeout / 1000), evidence: { timeouts: stats.timeouts, invocations: stats.invocations } });
  }
  return findings;
}
