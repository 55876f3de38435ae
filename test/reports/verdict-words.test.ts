// Words of the verdict and its tables that a new user read wrongly: a system with only info findings read
// as "warnings only"; a shard throttled by bursts within a report interval read as healthy at "peaked at
// 50%"; sizes, errors and latencies printed at uneven precision or without thousands separators.

import { describe, expect, it } from "vitest";
import { calibrationText } from "../../reports/calibration/messages.ts";
import { windowSecondsText } from "../../reports/flink-table.ts";
import { burstText, findingStatus, sizeCapText, sizeText } from "../../reports/summary-md.ts";
import type { SystemSummary } from "../../reports/system-summary.ts";

type Finding = SystemSummary["findings"][number];
const finding = (severity: Finding["severity"]): Finding => ({ severity, code: "c", subject: "s", message: "", evidence: {} });

describe("the verdict's words", () => {
  it("says 'info only', not 'warnings only', of a system whose findings are all info (kafka-keda-lag's capped)", () => {
    expect(findingStatus({ findings: [finding("info")] })).toBe("info only");
    expect(findingStatus({ findings: [finding("info"), finding("warning")] })).toBe("warnings only");
    expect(findingStatus({ findings: [finding("critical"), finding("warning")] })).toBe("1 critical finding");
    expect(findingStatus({ findings: [] })).toBe("no findings");
  });

  it("says a peak under the limit is an interval's average when the shard was throttled (replay-trace)", () => {
    const shard = { acceptedRecords: 62_465, throttledAttempts: 13_734 } as SystemSummary["partitions"][number];
    expect(burstText(shard)).toBe(" (averaged per report interval; bursts within an interval went over the limit: 18.0% of its put attempts throttled)");
    expect(burstText({ ...shard, throttledAttempts: 0 })).toBe("");
  });

  it("writes sizes, errors and window latencies at one precision, counts grouped", () => {
    expect(sizeText(1_048_563)).toBe("1,048,563 B (1 MiB less 13 B)");
    expect(sizeText(1_500_000)).toBe("1.5MB");
    expect(sizeText(1_234_567)).toBe("1,234,567 B (~1.18 MiB)");
    expect(sizeText(1_048_576)).toBe("1MiB");
    expect(sizeCapText(1_048_563, 0)).toBe("1,048,563 B (1 MiB less 13 B; 0 clipped)");
    expect(sizeCapText(1000, 1234)).toBe("1KB (1,234 clipped)");
    expect(sizeText(1000)).toBe("1KB");
    expect(sizeText(3459)).toBe("3459B");
    expect(calibrationText.maxError({ maxError: 982_987.4, unit: "bytes" })).toBe("982,987 bytes");
    expect(calibrationText.maxError({ maxError: 43_387, unit: "ms" })).toBe("43,387 ms");
    expect(`${windowSecondsText(2000)} / ${windowSecondsText(2300)}`).toBe("2.0 s / 2.3 s");
  });
});
