// The system models by kind: the only place sim/run names a model. Adding a kind of system is a folder
// under sim/ (its model meeting SystemModel), a block in the scenario schema, and one line here; the
// mapped type makes a kind in the schema without a line here (or a line without a kind) a type error.

import { KafkaModel } from "../kafka/index.ts";
import { KinesisModel } from "../kinesis/index.ts";
import type { ModelContext, SystemModel, SystemResultOf } from "../metrics/index.ts";
import type { System, TimelineActionOf } from "../scenario/types.ts";
import { SqsModel } from "../sqs/index.ts";
import type { ProducerStream } from "../workload/index.ts";

/** The kinds of system the scenario format has. */
export type SystemKind = System["kind"];
export type SystemSpecOf<K extends SystemKind> = Extract<System, { kind: K }>;
export type ModelOf<K extends SystemKind> = SystemModel<TimelineActionOf<K>, SystemResultOf<K>>;

/** Builds a model from its resolved system spec, its own copy of the workloads, and the run's context. */
export type ModelFactory<K extends SystemKind> = (spec: SystemSpecOf<K>, workloads: ProducerStream[], context: ModelContext) => ModelOf<K>;

export const modelRegistry: { readonly [K in SystemKind]: ModelFactory<K> } = {
  kinesis: (spec, workloads, context) => new KinesisModel(spec, workloads, context),
  kafka: (spec, workloads, context) => new KafkaModel(spec, workloads, context),
  sqs: (spec, workloads, context) => new SqsModel(spec, workloads, context),
};

/** The model for one system of a scenario, from its kind's registry entry. */
export function buildModel<K extends SystemKind>(kind: K, spec: SystemSpecOf<K>, workloads: ProducerStream[], context: ModelContext): ModelOf<K> {
  return modelRegistry[kind](spec, workloads, context);
}
