// The JSON Schema drafts `streamsim schema --draft` writes, alone in a module so the command line can
// list them without loading the scenario format's schemas.

/** 2020-12 (the default) and 07, which ajv and older validators read by default. */
export const jsonSchemaDrafts = ["2020-12", "07"] as const;
export type JsonSchemaDraft = (typeof jsonSchemaDrafts)[number];
