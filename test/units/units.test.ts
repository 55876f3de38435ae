import { describe, expect, it } from "vitest";
import {
  EXPECTED,
  UnitError,
  formatBytes,
  formatDurationUs,
  formatRate,
  parseDurationUs,
  parseRate,
  parseSizeBytes,
  type Rate,
} from "../../sim/units/index.ts";

// Wording is pinned here as literals: a change to a user-facing message should fail a test.
const DURATION_EXPECTED =
  'a duration such as "200ms", "1.5s" or "1h30m" (units us, ms, s, m, h, d; plain decimals, no exponents)';
const COMPOUND_EXPECTED =
  'a compound duration with units in decreasing order, each used once, and a decimal only in the last part, such as "1h30m" or "2m30.5s"';
const SIZE_EXPECTED =
  'a size such as "512B", "64KiB" or "1.5MB" (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, case-sensitive; plain decimals, no exponents)';
const RATE_EXPECTED =
  'a rate such as "6000 records/s", "10MB/s" or "512KiB/s" (records/s, or a size unit B, KB, MB, GB, TB, KiB, MiB, GiB, TiB followed by /s, case-sensitive; plain decimals, no exponents)';

// Values drawn once from a random generator and frozen here, so every run checks the same ones.
const FROZEN_INTEGERS = [
  5332546922390, 505, 86828026, 5629978059, 781832, 4777, 7544, 1968419, 55935887, 57802581066001, 58,
  24039792202355, 4691868802, 873258472852, 7205, 928386186, 38, 85, 62, 45141393855487, 3334818, 9979,
  8205261585898056, 2247299936040588, 5095578485542724, 2470945055676330, 6031613152540848,
  1481097759419272, 7468890503031898, 6992923181178514, 933526207973870, 6421844138869028,
  5264934362128038, 6596368178554120, 1004154974956696, 6519938725417636, 8398470635163904,
  6907890726756882,
];
const FROZEN_FRACTIONS = [
  442206.9565722724, 70412829.99884379, 0.000598776399626636, 6.284984466175015, 66258.1969206413,
  0.06214118915292555, 31277346.89201769, 0.02299919969044295, 728.5282335648633, 46.82795133048996,
  97.58628277380788, 0.22266384179357357, 906116.3169246989, 0.00823760283927144,
  0.00009495595255571017, 0.00869834919732955,
];

const DURATION_UNITS_US = [1, 1_000, 1_000_000, 60_000_000, 3_600_000_000, 86_400_000_000];
const SIZE_UNITS_BYTES = [1, 1000, 1000 ** 2, 1000 ** 3, 1000 ** 4, 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4];

/** Multiples and neighbours of each unit: where rounding and unit choice go wrong first. */
function edgeValues(unitValues: readonly number[]): number[] {
  const values = [0, 1, 2, 7, 999, 1001, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1];
  for (const unit of unitValues) {
    for (const multiple of [1, 2, 1.5, 10, 59, 60, 61, 100, 999, 1000, 1001, 1023, 1024, 1025]) {
      const value = Math.round(unit * multiple);
      values.push(value - 1, value, value + 1);
    }
  }
  return values.filter((value) => Number.isSafeInteger(value) && value >= 0);
}

function firstIntegers(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

function thrown(action: () => unknown): UnitError {
  try {
    action();
  } catch (error) {
    if (error instanceof UnitError) return error;
    throw error;
  }
  throw new Error("expected a UnitError, nothing was thrown");
}

function expectUnitError(action: () => unknown, expected: string, text: string): void {
  const error = thrown(action);
  expect(error.expected).toBe(expected);
  expect(error.found).toBe(JSON.stringify(text));
  // A text whose unit words make a duration carries that one as a suggestion (tested on its own below).
  const suggestion = error.suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(error.suggestion)}?)`;
  expect(error.message).toBe(`expected ${expected}, found ${JSON.stringify(text)}${suggestion}`);
  expect(error.name).toBe("UnitError");
  expect(error).toBeInstanceOf(Error);
}

describe("UnitError", () => {
  it("puts expected and quoted found text into the message", () => {
    const error = new UnitError("a duration", '"20 parsecs"');
    expect(error.message).toBe('expected a duration, found "20 parsecs"');
    expect(error.expected).toBe("a duration");
    expect(error.found).toBe('"20 parsecs"');
  });

  it("keeps the wording in one EXPECTED table", () => {
    expect(EXPECTED.duration).toBe(DURATION_EXPECTED);
    expect(EXPECTED.durationCompound).toBe(COMPOUND_EXPECTED);
    expect(EXPECTED.durationWhole).toBe("a whole number of microseconds");
    expect(EXPECTED.durationMax).toBe("a duration of at most 9007199254740991us (about 285 years)");
    expect(EXPECTED.size).toBe(SIZE_EXPECTED);
    expect(EXPECTED.sizeWhole).toBe("a whole number of bytes");
    expect(EXPECTED.sizeMax).toBe("a size of at most 9007199254740991B");
    expect(EXPECTED.rate).toBe(RATE_EXPECTED);
    expect(EXPECTED.rateMax).toBe("a rate of at most 9007199254740991 per second");
  });
});

describe("parseDurationUs", () => {
  it.each([
    ["0", 0],
    ["0s", 0],
    ["0us", 0],
    ["1us", 1],
    ["250us", 250],
    ["1ms", 1_000],
    ["200ms", 200_000],
    ["0.25ms", 250],
    ["1s", 1_000_000],
    ["1.5s", 1_500_000],
    ["1.1s", 1_100_000],
    ["0.000001s", 1],
    ["10 s", 10_000_000],
    ["1m", 60_000_000],
    ["1h", 3_600_000_000],
    ["1.5h", 5_400_000_000],
    ["1d", 86_400_000_000],
    ["007s", 7_000_000],
    ["1h30m", 5_400_000_000],
    ["2m30s", 150_000_000],
    ["2m30.5s", 150_500_000],
    ["1d12h", 129_600_000_000],
        ["1 h30 m", 5_400_000_000],
    ["1s500ms", 1_500_000],
    ["1m0.000001s", 60_000_001],
    ["1d2h3m4s5ms6us", 93_784_005_006],
    ["9007199254740991us", Number.MAX_SAFE_INTEGER],
  ])("%s is %i us", (text, durationUs) => {
    expect(parseDurationUs(text)).toBe(durationUs);
  });

  it.each([
    "",
    " ",
    "5",
    "20",
    "20 parsecs",
    "-5s",
    "+5s",
    "1e3s",
    "1E3s",
    "NaN",
    "NaNs",
    "Infinity",
    "Infinitys",
    ".5s",
    "5.s",
    "1,5s",
    "10  s",
    "10\ts",
    " 10s",
    "10s ",
    "10 sec",
    "10S",
    "10Ms",
    "1µs",
    "1h 30m",
    "0x10s",
    "１s",
    "0.0",
  ])("rejects %j as not a duration", (text) => {
    expectUnitError(() => parseDurationUs(text), DURATION_EXPECTED, text);
  });

  it.each([
    ["10min", "10m"],
    ["1M", "1m"],
    ["10 minutes", "10m"],
    ["2 hours", "2h"],
    ["10 sec", "10s"],
    ["10S", "10s"],
    ["10Ms", "10ms"],
    ["1µs", "1us"],
    ["1h 30m", "1h30m"],
    [" 10s", "10s"],
    ["1.5 days", "1.5d"],
  ])("suggests for %j the duration %j its unit words make", (text, suggestion) => {
    expect(thrown(() => parseDurationUs(text)).suggestion).toBe(suggestion);
  });

  it.each(["20 parsecs", "ten s", "10", "s10", "10x", ""])("suggests nothing for %j", (text) => {
    expect(thrown(() => parseDurationUs(text)).suggestion).toBeUndefined();
  });

  it.each(["30m1h", "1h1h", "1s1m", "1ms1s", "1.5h30m", "0.5m1s"])(
    "rejects %j as a malformed compound",
    (text) => {
      expectUnitError(() => parseDurationUs(text), COMPOUND_EXPECTED, text);
    },
  );

  it.each(["0.5us", "1.0001ms", "0.0000001s", "1m0.0000005s"])(
    "rejects %j as a fraction of a microsecond",
    (text) => {
      expectUnitError(() => parseDurationUs(text), "a whole number of microseconds", text);
    },
  );

  it.each(["9007199254740992us", "285000d", "99999999999999999999s"])(
    "rejects %j as too long",
    (text) => {
      expectUnitError(
        () => parseDurationUs(text),
        "a duration of at most 9007199254740991us (about 285 years)",
        text,
      );
    },
  );

  it("prints the brief's example message", () => {
    expect(thrown(() => parseDurationUs("20 parsecs")).message).toBe(
      'expected a duration such as "200ms", "1.5s" or "1h30m" (units us, ms, s, m, h, d; plain decimals, no exponents), found "20 parsecs"',
    );
  });
});

describe("formatDurationUs", () => {
  it.each([
    [0, "0s"],
    [1, "1us"],
    [100, "100us"],
    [999, "999us"],
    [1_000, "1ms"],
    [1_500, "1.5ms"],
    [1_001, "1.001ms"],
    [500_000, "500ms"],
    [999_999, "999.999ms"],
    [1_000_000, "1s"],
    [1_500_000, "1.5s"],
    [1_000_001, "1.000001s"],
    [59_000_000, "59s"],
    [60_000_000, "1m"],
    [90_000_000, "1m30s"],
    [150_500_000, "2m30.5s"],
    [3_600_000_000, "1h"],
    [5_400_000_000, "1h30m"],
    [3_600_000_001, "1h0.000001s"],
    [86_400_000_000, "1d"],
    [129_600_000_000, "1d12h"],
    [93_784_005_006, "1d2h3m4.005006s"],
    [Number.MAX_SAFE_INTEGER, "104249d23h47m34.740991s"],
  ])("%i us is %s", (durationUs, text) => {
    expect(formatDurationUs(durationUs)).toBe(text);
  });

  it.each([-1, 0.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1])(
    "refuses %d as a programmer error, not a UnitError",
    (durationUs) => {
      expect(() => formatDurationUs(durationUs)).toThrow(/formatDurationUs/);
    },
  );
});

describe("duration round trip", () => {
  it("parse(format(x)) === x for small, edge and frozen random values", () => {
    const values = [...firstIntegers(5_000), ...edgeValues(DURATION_UNITS_US), ...FROZEN_INTEGERS];
    for (const durationUs of values) {
      expect(parseDurationUs(formatDurationUs(durationUs)), `${durationUs}`).toBe(durationUs);
    }
  });
});

describe("parseSizeBytes", () => {
  it.each([
    ["0", 0],
    ["0B", 0],
    ["1B", 1],
    ["123B", 123],
    ["1KB", 1_000],
    ["1MB", 1_000_000],
    ["1GB", 1_000_000_000],
    ["1TB", 1_000_000_000_000],
    ["1KiB", 1_024],
    ["1MiB", 1_048_576],
    ["1GiB", 1_073_741_824],
    ["1TiB", 1_099_511_627_776],
    ["1.5KiB", 1_536],
    ["0.5KiB", 512],
    ["1.1MB", 1_100_000],
    ["1.001KB", 1_001],
    ["1.5 MiB", 1_572_864],
    ["64 KiB", 65_536],
    ["8TiB", 8_796_093_022_208],
    ["9007199254740991B", Number.MAX_SAFE_INTEGER],
  ])("%s is %i bytes", (text, sizeBytes) => {
    expect(parseSizeBytes(text)).toBe(sizeBytes);
  });

  it.each([
    "",
    "5",
    "1024",
    "kb",
    "1kb",
    "1mb",
    "1Mb",
    "1kB",
    "1KIB",
    "1kib",
    "1b",
    "1 bytes",
    "10MBx",
    "10MB/s",
    "-1KB",
    "1e3B",
    "NaN",
    "InfinityB",
    ".5KiB",
    "1.KiB",
    "1  KiB",
    " 1KiB",
    "1KiB ",
  ])("rejects %j as not a size", (text) => {
    expectUnitError(() => parseSizeBytes(text), SIZE_EXPECTED, text);
  });

  it.each(["1.0001KB", "0.5B", "1.1B", "0.1KiB"])("rejects %j as a fraction of a byte", (text) => {
    expectUnitError(() => parseSizeBytes(text), "a whole number of bytes", text);
  });

  it.each(["9007199254740992B", "8192TiB", "10000TB"])("rejects %j as too large", (text) => {
    expectUnitError(() => parseSizeBytes(text), "a size of at most 9007199254740991B", text);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0B"],
    [1, "1B"],
    [123, "123B"],
    [512, "512B"],
    [999, "999B"],
    [1_000, "1KB"],
    [1_024, "1KiB"],
    [1_025, "1025B"],
    [1_536, "1.5KiB"],
    [1_500, "1.5KB"],
    [65_536, "64KiB"],
    [1_000_000, "1MB"],
    [1_048_576, "1MiB"],
    [1_572_864, "1.5MiB"],
    [1_500_000, "1.5MB"],
    [1_073_741_824, "1GiB"],
    [1_000_000_000_000, "1TB"],
    [1_099_511_627_776, "1TiB"],
    [4_096_000, "4000KiB"],
    [Number.MAX_SAFE_INTEGER, "9007199254740991B"],
  ])("%i bytes is %s", (sizeBytes, text) => {
    expect(formatBytes(sizeBytes)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])(
    "refuses %d as a programmer error",
    (sizeBytes) => {
      expect(() => formatBytes(sizeBytes)).toThrow(/formatBytes/);
    },
  );

  it("round-trips small, edge and frozen random values", () => {
    const values = [...firstIntegers(5_000), ...edgeValues(SIZE_UNITS_BYTES), ...FROZEN_INTEGERS];
    for (const sizeBytes of values) {
      expect(parseSizeBytes(formatBytes(sizeBytes)), `${sizeBytes}`).toBe(sizeBytes);
    }
  });
});

describe("parseRate", () => {
  it.each([
    ["6000 records/s", 6000],
    ["6000records/s", 6000],
    ["0 records/s", 0],
    ["0.5 records/s", 0.5],
    ["0.1 records/s", 0.1],
    ["9007199254740991 records/s", Number.MAX_SAFE_INTEGER],
  ])("%s is %d records per second", (text, recordsPerSecond) => {
    expect(parseRate(text)).toEqual({ kind: "records", recordsPerSecond });
  });

  it.each([
    ["100B/s", 100],
    ["0B/s", 0],
    ["0.5B/s", 0.5],
    ["10MB/s", 10_000_000],
    ["1.1MB/s", 1_100_000],
    ["10 MiB/s", 10_485_760],
    ["512KiB/s", 524_288],
    ["1GB/s", 1_000_000_000],
    ["1.5GiB/s", 1_610_612_736],
    ["2TB/s", 2_000_000_000_000],
    ["1TiB/s", 1_099_511_627_776],
    ["1KB/s", 1_000],
    ["0.0001KB/s", 0.1],
  ])("%s is %d bytes per second", (text, bytesPerSecond) => {
    expect(parseRate(text)).toEqual({ kind: "bytes", bytesPerSecond });
  });

  it.each([
    "0",
    "6000",
    "6000/s",
    "6000 records",
    "6000 record/s",
    "6000 records/sec",
    "6000 Records/s",
    "6000 records / s",
    "1.5k records/s",
    "1e3 records/s",
    "-1 records/s",
    "NaN records/s",
    "Infinity records/s",
    "10MB",
    "10MBx/s",
    "10MB/sx",
    "10mb/s",
    "10kb/s",
    "10MBps",
    "10MB/sec",
    "10 MB /s",
    "10MB/h",
  ])("rejects %j as not a rate", (text) => {
    expectUnitError(() => parseRate(text), RATE_EXPECTED, text);
  });

  it.each(["9007199254740992 records/s", "9007199254740991.5 records/s", "9007199254740992B/s", "10000TB/s"])(
    "rejects %j as too fast",
    (text) => {
      expectUnitError(() => parseRate(text), "a rate of at most 9007199254740991 per second", text);
    },
  );
});

describe("formatRate", () => {
  it.each<[Rate, string]>([
    [{ kind: "records", recordsPerSecond: 6000 }, "6000 records/s"],
    [{ kind: "records", recordsPerSecond: 0 }, "0 records/s"],
    [{ kind: "records", recordsPerSecond: 0.5 }, "0.5 records/s"],
    [{ kind: "records", recordsPerSecond: 1e-7 }, "0.0000001 records/s"],
    [{ kind: "bytes", bytesPerSecond: 100 }, "100B/s"],
    [{ kind: "bytes", bytesPerSecond: 0 }, "0B/s"],
    [{ kind: "bytes", bytesPerSecond: 0.5 }, "0.5B/s"],
    [{ kind: "bytes", bytesPerSecond: 10_000_000 }, "10MB/s"],
    [{ kind: "bytes", bytesPerSecond: 10_485_760 }, "10MiB/s"],
    [{ kind: "bytes", bytesPerSecond: 524_288 }, "512KiB/s"],
    [{ kind: "bytes", bytesPerSecond: 1_536.5 }, "1536.5B/s"],
  ])("%j is %s", (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });

  it.each([-1, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 2])(
    "refuses %d as a programmer error",
    (value) => {
      expect(() => formatRate({ kind: "records", recordsPerSecond: value })).toThrow(/formatRate/);
      expect(() => formatRate({ kind: "bytes", bytesPerSecond: value })).toThrow(/formatRate/);
    },
  );

  it("round-trips integer, fractional and frozen random rates of both kinds", () => {
    const values = [
      ...edgeValues(SIZE_UNITS_BYTES),
      ...FROZEN_INTEGERS,
      ...FROZEN_FRACTIONS,
      ...FROZEN_INTEGERS.map((value) => value / 1024),
      ...FROZEN_INTEGERS.map((value) => value / 1000),
      0.1,
      0.2 + 0.1,
      1 / 3,
      Number.MIN_VALUE,
      Number.EPSILON,
    ];
    for (const value of values) {
      const records: Rate = { kind: "records", recordsPerSecond: value };
      const bytes: Rate = { kind: "bytes", bytesPerSecond: value };
      expect(parseRate(formatRate(records)), `${value}`).toEqual(records);
      expect(parseRate(formatRate(bytes)), `${value}`).toEqual(bytes);
    }
  });
});
