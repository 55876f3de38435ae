import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

function runSqs(name: string, body: string, duration = "60s") {
  const yaml = `
name: ${name}
seed: 5
duration: ${duration}
${body}`;
  const loaded = loadScenarioText(yaml, `${name}.yaml`);
  if (!loaded.ok) throw new Error(`the scenario does not load: ${JSON.stringify(loaded.issues)}`);
  return runScenario(loaded.scenario).systems[0]!;
}

const workload = (rate: number) => `
workload:
  - producer: p
    rate: { recordsPerSecond: ${rate}, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }`;

describe("SQS findings: FIFO call limits on receives", () => {
  // 50 short-polling consumers taking 1 message per call make far more than 300 receive calls per
  // second: nearly all are throttled, and the fleet gets ~300 messages/s of the 2,000 sent.
  it("fires when consumers' receive calls exceed the FIFO per-action limit, naming the limit and the fixes", () => {
    const system = runSqs(
      "fifo-receive-throttled",
      `${workload(2000)}
systems:
  - name: q
    kind: sqs
    queue: { type: fifo }
    producer: { batch: { maxMessages: 10, linger: 10ms } }
    consumers:
      - { name: w, count: 50, maxMessages: 1, waitTime: 0s, processing: { perRecord: 1ms } }
`,
      "2m",
    );
    const finding = system.findings.find((f) => f.code === "calls-throttled");
    expect(finding?.severity).toBe("warning");
    // The backlog it causes is put down to it, not to too few consumers.
    const behind = system.findings.find((f) => f.code === "queue-falling-behind");
    expect(behind?.message).toContain("see calls-throttled");
    expect(behind?.message).not.toContain("add consumers");
    expect(finding?.message).toContain("300 calls per second");
    expect(finding?.message).toContain("Receive up to 10 messages per call");
    expect(finding?.message).toContain("high-throughput mode");
    // Throttled consumers back off (the SDK's jittered retries), so about one attempt in three is refused.
    expect(Number(finding?.evidence.receiveThrottles)).toBeGreaterThan(Number(finding?.evidence.receiveCalls) / 4);
  });

  // The same queue with 20 long-polling consumers taking 10 per call at 1,000 messages/s stays well
  // under 300 receive calls per second (~100 calls/s of full batches).
  it("stays quiet for long-polling consumers taking 10 messages per call under the limit", () => {
    const system = runSqs(
      "fifo-receive-ok",
      `${workload(1000)}
systems:
  - name: q
    kind: sqs
    queue: { type: fifo }
    producer: { batch: { maxMessages: 10, linger: 10ms } }
    consumers:
      - { name: w, count: 20, maxMessages: 10, waitTime: 20s, processing: { perRecord: 1ms } }
`,
      "20s",
    );
    expect(system.findings.map((f) => f.code)).not.toContain("calls-throttled");
  });
});

describe("SQS findings: a fleet that falls behind", () => {
  // 5 consumers taking 10 messages per ~100 ms (10 ms each) process ~450 messages/s of the 1,000 sent:
  // the oldest message's age grows by ~0.5 s every second. A 3-minute run with the default 1-minute
  // report interval has only 3 report points, too few for a trend over the second half: the model
  // samples the lag every second instead.
  it("fires in a run of a few minutes with the default report interval", () => {
    const system = runSqs(
      "fleet-falling-behind",
      `${workload(1000)}
systems:
  - name: q
    kind: sqs
    producer: { batch: { maxMessages: 10, linger: 10ms } }
    consumers:
      - { name: w, count: 5, maxMessages: 10, waitTime: 20s, processing: { perRecord: 10ms } }
`,
      "3m",
    );
    const finding = system.findings.find((f) => f.code === "queue-falling-behind");
    expect(finding?.severity).toBe("critical");
    // The fleet already takes 10 messages per receive: that is not advised again.
    expect(finding?.message).toContain("add consumers");
    expect(finding?.message).not.toContain("receive up to 10");
    expect(Number(finding?.evidence.lagGrowthMsPerSecond)).toBeGreaterThan(400);
    expect(Number(finding?.evidence.lagGrowthMsPerSecond)).toBeLessThan(700);
  });
});

describe("SQS findings: empty receives", () => {
  // 100 consumers long-polling for 20 s with 1 message every 2 s: each idle consumer answers empty
  // 3 times a minute, ~1,500 empty receives in 5 minutes against ~150 with a message.
  it("at the longest wait, advises fewer consumers and not a longer wait", () => {
    const system = runSqs(
      "idle-long-pollers",
      `${workload(0.5)}
systems:
  - name: q
    kind: sqs
    consumers:
      - { name: w, count: 100, maxMessages: 10, waitTime: 20s }
`,
      "5m",
    );
    const finding = system.findings.find((f) => f.code === "empty-receives");
    expect(finding?.severity).toBe("info");
    expect(finding?.message).toContain("fewer consumers");
    expect(finding?.message).not.toContain("longer wait");
  });
});

describe("SQS findings: FIFO limits of 120,000 messages (docs/reference.md §4)", () => {
  // Consumers that fail every message leave it in flight for the 12 h timeout: 20,000 messages/s over
  // 200,000 groups fill the 120,000 in-flight messages within ~7 s. A FIFO queue returns no error then.
  it("the in-flight limit of a FIFO queue is said to return nothing, not OverLimit", () => {
    const system = runSqs(
      "fifo-in-flight-limit",
      `
workload:
  - producer: p
    rate: { recordsPerSecond: 20000, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 200000, template: "k-{i}" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo, highThroughput: true, visibilityTimeout: 12h }
    producer: { batch: { maxMessages: 10, linger: 10ms } }
    consumers:
      - { name: w, count: 100, maxMessages: 10, waitTime: 0s, failureProbability: 1 }
`,
      "10s",
    );
    const finding = system.findings.find((f) => f.code === "in-flight-limit");
    expect(finding?.message).toContain("a FIFO queue returns no error");
    expect(finding?.message).not.toContain("OverLimit");
  });

  // One group gets 1,000 messages/s and is served ~135/s (10 per ~74 ms cycle): its backlog passes
  // 120,000 after ~140 s, where a real queue stops looking for other groups behind it.
  it("a hot group's backlog past 120,000 messages warns that other groups would be held back", () => {
    const hot = (duration: string) =>
      runSqs(
        "fifo-hot-group-scan",
        `
workload:
  - producer: p
    rate: { recordsPerSecond: 1000, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: fixed, key: "device-0" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo }
    producer: { batch: { maxMessages: 10, linger: 20ms } }
    consumers:
      - { name: w, count: 20, maxMessages: 10, waitTime: 20s, processing: { perRecord: 5ms } }
`,
        duration,
      ).findings.find((f) => f.code === "hot-fifo-group");
    expect(hot("60s")?.message).not.toContain("120,000");
    const long = hot("3m");
    // The backlog is the hot group's: the falling-behind finding points at it, not at more consumers.
    const behind = runSqs(
      "fifo-hot-group-behind",
      `
workload:
  - producer: p
    rate: { recordsPerSecond: 1000, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: fixed, key: "device-0" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo }
    producer: { batch: { maxMessages: 10, linger: 20ms } }
    consumers:
      - { name: w, count: 20, maxMessages: 10, waitTime: 20s, processing: { perRecord: 5ms } }
`,
      "3m",
    ).findings.find((f) => f.code === "queue-falling-behind");
    expect(behind?.message).toContain('message group "device-0"');
    expect(behind?.message).toContain("more consumers will not help");
    expect(Number(long?.evidence.backlog)).toBeGreaterThan(120_000);
    expect(long?.message).toContain("Beyond 120,000 waiting messages SQS looks no further");
  });
});

describe("SQS findings: a visibility timeout shorter than the processing", () => {
  // Batches of 10 taking 3 s against a 2 s timeout: every batch comes back while being processed, so
  // nearly all work is repeated and the backlog grows whatever the number of consumers.
  it("names the timeout, counts the stale deletes, and the backlog is put down to it", () => {
    const system = runSqs(
      "visibility-too-short",
      `${workload(50)}
systems:
  - name: q
    kind: sqs
    queue: { visibilityTimeout: 2s }
    producer: { batch: { maxMessages: 10, linger: 10ms } }
    consumers:
      - { name: w, count: 10, maxMessages: 10, waitTime: 20s, processing: { perRecord: 300ms } }
`,
      "3m",
    );
    const short = system.findings.find((f) => f.code === "visibility-timeout-too-short");
    expect(short?.message).toContain("visibility timeout (2 s)");
    expect(Number(short?.evidence.staleDeletes)).toBeGreaterThan(1000);
    const behind = system.findings.find((f) => f.code === "queue-falling-behind");
    expect(behind?.message).toContain("raise the visibility timeout first");
    expect(behind?.message).not.toContain("add consumers");
  });
});
