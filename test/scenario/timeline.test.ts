// Timeline actions are narrowed to their system's kind at load: an action of another kind is an
// error at the action's position naming the actions that system takes, and a valid timeline reaches
// the models typed per kind (a consumer-crash's target resolved to a name or a group member).

import { describe, expect, it } from "vitest";
import { actionsFor, loadScenarioText, type ScenarioIssue } from "../../sim/scenario/index.ts";

const header = `name: timeline-kinds
duration: 10m
workload:
  - producer: p
    rate: { recordsPerSecond: 1 }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 10 }
systems:
  - { name: k, kind: kinesis, capacity: { mode: provisioned, shards: 2 }, consumers: [ { name: a, type: polling } ] }
  - { name: m, kind: kafka, brokers: { count: 3 }, topic: { partitions: 3 }, consumerGroups: [ { name: g, consumers: 2 } ] }
  - { name: q, kind: sqs, consumers: [ { name: w } ] }
timeline:
`;
/** The line of the first timeline entry (1-based). */
const firstActionLine = header.split("\n").length;
const systemOf = { kinesis: "k", kafka: "m", sqs: "q" } as const;

// Each action with fields that make it valid for its own kind, and the kinds it applies to.
const actions = [
  { action: "update-shard-count", fields: "shards: 4", kinds: ["kinesis"] },
  { action: "split-shard", fields: "shard: 0", kinds: ["kinesis"] },
  { action: "merge-shards", fields: "shards: [0, 1]", kinds: ["kinesis"] },
  { action: "broker-down", fields: "broker: 0, for: 1m", kinds: ["kafka"] },
  { action: "add-partitions", fields: "partitions: 6", kinds: ["kafka"] },
  { action: "consumer-fail", fields: "consumer: w, for: 1m", kinds: ["sqs"] },
];
const valid = {
  kinesis: "update-shard-count, split-shard, merge-shards, consumer-crash, flink-restart",
  kafka: "broker-down, add-partitions, consumer-crash, flink-restart",
  sqs: "consumer-crash, consumer-fail",
};

function issues(timeline: string): ScenarioIssue[] {
  const loaded = loadScenarioText(header + timeline, "timeline.yaml");
  return loaded.ok ? [] : loaded.issues;
}

describe("timeline actions per system kind", () => {
  const misaimed = actions.flatMap((entry) =>
    (["kinesis", "kafka", "sqs"] as const).filter((kind) => !entry.kinds.includes(kind)).map((kind) => ({ ...entry, kind })),
  );

  it.each(misaimed)("$action aimed at a $kind system is an error at the action, naming what that system takes", ({ action, fields, kind }) => {
    const prefix = `  - { at: 1m, system: ${systemOf[kind]}, action: `;
    const found = issues(`${prefix}${action}, ${fields} }\n`);
    expect(found).toHaveLength(1);
    const [issue] = found;
    expect(issue.path).toEqual(["timeline", 0, "action"]);
    expect([issue.line, issue.column]).toEqual([firstActionLine, prefix.length + 1]);
    expect(issue.message).toBe(
      `expected an action for ${kind} system "${systemOf[kind]}" (${valid[kind]}), found "${action}", which applies to ${actions.find((entry) => entry.action === action)!.kinds.join(" or ")} systems`,
    );
  });

  it("a valid timeline reaches each model as its own kind's actions, in time order", () => {
    const loaded = loadScenarioText(
      header +
        [
          "  - { at: 3m, system: m, action: consumer-crash, group: g, consumer: 1 }",
          "  - { at: 2m, system: k, action: consumer-crash, consumer: a }",
          "  - { at: 1m, system: q, action: consumer-fail, consumer: w, for: 1m }",
          "  - { at: 4m, system: k, action: split-shard, shard: 0 }",
          "",
        ].join("\n"),
      "timeline.yaml",
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const { timeline } = loaded.scenario;
    expect(timeline.map((action) => [action.kind, action.system, action.action])).toEqual([
      ["sqs", "q", "consumer-fail"],
      ["kinesis", "k", "consumer-crash"],
      ["kafka", "m", "consumer-crash"],
      ["kinesis", "k", "split-shard"],
    ]);
    expect(actionsFor(timeline, "kinesis", "k").map((action) => action.action)).toEqual(["consumer-crash", "split-shard"]);
    const [crash] = actionsFor(timeline, "kafka", "m");
    // Typed for Kafka: a group and a member index, no name.
    if (crash.action !== "consumer-crash") throw new Error("expected the Kafka crash");
    expect([crash.group, crash.consumer]).toEqual(["g", 1]);
    expect(actionsFor(timeline, "sqs", "k")).toEqual([]);
  });
});

describe("consumer-crash of a Kinesis stream's Firehose consumer", () => {
  it("is an error naming the consumer: Firehose runs its own readers", () => {
    const text = header.replace("consumers: [ { name: a, type: polling } ]", "consumers: [ { name: a, type: polling }, { name: to-s3, type: firehose } ]");
    const loaded = loadScenarioText(`${text}  - { at: 1m, system: k, action: consumer-crash, consumer: to-s3 }\n`, "timeline.yaml");
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [["timeline", 0, "consumer"], 'expected a consumer application to crash, found "to-s3", a Firehose stream reading the Kinesis stream (the service runs its readers); crash a polling, enhanced fan-out or Lambda consumer instead'],
    ]);
  });
});
