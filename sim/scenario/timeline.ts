// Timeline actions narrowed to the kind of system they act on, at load: checks.ts has already
// rejected an action aimed at a system of another kind (with its position in the file), so here
// each action becomes its kind's own type, and a model receives only actions it knows how to apply.

import type { TimelineAction } from "./schema.ts";
import type { SystemInput } from "./systems-schema.ts";

type Named<A extends TimelineAction["action"]> = Extract<TimelineAction, { action: A }>;
/** consumer-crash with its target resolved: a named consumer, or a Kafka group's member index. */
type Crash<Target> = Omit<Named<"consumer-crash">, "consumer" | "group"> & Target;

export type KinesisTimelineAction = { kind: "kinesis" } & (
  | Named<"update-shard-count">
  | Named<"split-shard">
  | Named<"merge-shards">
  | Crash<{ consumer: string }>
  | Named<"flink-restart">
);
export type KafkaTimelineAction = { kind: "kafka" } & (Named<"broker-down"> | Named<"add-partitions"> | Crash<{ group: string; consumer: number }> | Named<"flink-restart">);
export type SqsTimelineAction = { kind: "sqs" } & (Named<"consumer-fail"> | Crash<{ consumer: string }>);

/** Firehose takes no timeline actions (yet): its delivery failures are a setting. */
export type FirehoseTimelineAction = never;

/** A validated timeline action, typed for the kind of the system it names. */
export type SystemTimelineAction = KinesisTimelineAction | KafkaTimelineAction | SqsTimelineAction;
export type TimelineActionOf<K extends SystemInput["kind"]> = Extract<SystemTimelineAction, { kind: K }>;

/** Which system kinds each action applies to (the load check and its message read this). */
export const actionKinds: Record<TimelineAction["action"], ReadonlyArray<SystemInput["kind"]>> = {
  "update-shard-count": ["kinesis"],
  "split-shard": ["kinesis"],
  "merge-shards": ["kinesis"],
  "broker-down": ["kafka"],
  "add-partitions": ["kafka"],
  "consumer-crash": ["kinesis", "kafka", "sqs"],
  "consumer-fail": ["sqs"],
  "flink-restart": ["kinesis", "kafka"],
};

/**
 * Which actions are incidents rather than operations (a resharding, added partitions): a monthly cost
 * projected from a window that holds an incident repeats it. A new action is a type error here until it says.
 */
export const faultAction: Record<TimelineAction["action"], boolean> = {
  "update-shard-count": false,
  "split-shard": false,
  "merge-shards": false,
  "broker-down": true,
  "add-partitions": false,
  "consumer-crash": true,
  "consumer-fail": true,
  "flink-restart": true,
};

/** The actions a system of this kind accepts, in the order the format lists them. */
export function actionsForKind(kind: SystemInput["kind"]): string[] {
  return Object.entries(actionKinds).flatMap(([action, kinds]) => (kinds.includes(kind) ? [action] : []));
}

/** Narrows each action of a checked timeline to its system's kind; an action no kind fits is a bug in the checks. */
export function narrowTimeline(timeline: readonly TimelineAction[], systems: readonly SystemInput[]): SystemTimelineAction[] {
  return timeline.map((action) => {
    const kind = systems.find((system) => system.name === action.system)?.kind;
    const narrowed = kind === undefined ? null : narrowAction(action, kind);
    if (narrowed === null) throw new Error(`timeline action "${action.action}" for system "${action.system}" passed the load checks but fits no ${kind ?? "known"} action`);
    return narrowed;
  });
}

function narrowAction(action: TimelineAction, kind: SystemInput["kind"]): SystemTimelineAction | null {
  if (kind === "firehose") return null;
  switch (action.action) {
    case "update-shard-count":
    case "split-shard":
    case "merge-shards":
      return kind === "kinesis" ? { kind, ...action } : null;
    case "broker-down":
    case "add-partitions":
      return kind === "kafka" ? { kind, ...action } : null;
    case "consumer-fail":
      return kind === "sqs" ? { kind, ...action } : null;
    case "flink-restart":
      return kind === "kinesis" || kind === "kafka" ? { kind, ...action } : null;
    case "consumer-crash": {
      const { group, consumer, ...rest } = action;
      if (kind === "kafka") return group !== undefined && typeof consumer === "number" ? { kind, ...rest, group, consumer } : null;
      return group === undefined && typeof consumer === "string" ? { kind, ...rest, consumer } : null;
    }
  }
}

/** The actions aimed at one system, typed for its kind. */
export function actionsFor<K extends SystemInput["kind"]>(timeline: readonly SystemTimelineAction[], kind: K, system: string): Array<TimelineActionOf<K>> {
  return timeline.filter((action): action is TimelineActionOf<K> => action.kind === kind && action.system === system);
}
