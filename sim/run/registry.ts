// The system models by kind: the only place sim/run names a model. Adding a kind of system is a folder
// under sim/ (its model meeting SystemModel), a block in the scenario schema, and one line here; the
// mapped type makes a kind in the schema without a line here (or a line without a kind) a type error.
// The same holds for a kind's configuration (what the report's configuration table shows of it).

import { FirehoseModel, firehoseConfiguration } from "../firehose/index.ts";
import { KafkaModel, kafkaConfiguration } from "../kafka/index.ts";
import { KinesisModel, kinesisConfiguration } from "../kinesis/index.ts";
import type { ModelContext, SystemConfiguration, SystemModel, SystemResultOf } from "../metrics/index.ts";
import type { System, TimelineActionOf } from "../scenario/types.ts";
import { SqsModel, sqsConfiguration } from "../sqs/index.ts";
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
  firehose: (spec, workloads, context) => new FirehoseModel(spec, workloads, context),
};

/** The model for one system of a scenario, from its kind's registry entry. */
export function buildModel<K extends SystemKind>(kind: K, spec: SystemSpecOf<K>, workloads: ProducerStream[], context: ModelContext): ModelOf<K> {
  return modelRegistry[kind](spec, workloads, context);
}

/** A system's configuration as it runs (the resolved spec, defaults included), in the shape every kind shares. */
export type ConfigurationOf<K extends SystemKind> = (spec: SystemSpecOf<K>) => SystemConfiguration;

export const configurationRegistry: { readonly [K in SystemKind]: ConfigurationOf<K> } = {
  kinesis: kinesisConfiguration,
  kafka: kafkaConfiguration,
  sqs: sqsConfiguration,
  firehose: firehoseConfiguration,
};

/** The configuration of one system of a scenario, from its kind's registry entry. */
export function systemConfiguration(system: System): SystemConfiguration {
  return configurationOf(system.kind, system as SystemSpecOf<typeof system.kind>);
}

function configurationOf<K extends SystemKind>(kind: K, spec: SystemSpecOf<K>): SystemConfiguration {
  return configurationRegistry[kind](spec);
}
