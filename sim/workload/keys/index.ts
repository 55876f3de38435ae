export { AliasTable, ALIAS_ENTRIES_MAX } from "./alias.ts";
export {
  parseKeyFile,
  readKeyFile,
  keyFileMessages,
  KEY_CHARS_MAX,
  KEY_FILE_ISSUES_MAX,
  KEY_FILE_DISTINCT_KEYS_MAX,
  KEY_FILE_BYTES_MAX,
  KeyFileRefused,
  type KeyFile,
  type KeyFileIssue,
  type KeyFileOptions,
} from "./keyfile.ts";
export {
  type KeySpace,
  DEFAULT_TEMPLATE,
  uniformKeys,
  zipfKeys,
  hotspotKeys,
  fixedKey,
  noKeys,
  weightedKeys,
  fileKeys,
  dailyKeys,
  uuidKeys,
  compositeKeys,
  type DailyKeysOptions,
  type UuidKeysOptions,
  type CompositeKeysOptions,
  type CompositeField,
} from "./keyspace.ts";
export { formatUtcDate } from "./daily.ts";
export { parseTemplate, distinctNames, type KeyTemplate } from "./template.ts";
export type { Uniform } from "../../engine/index.ts";
export { KeyByteLengths, busiestIndexes } from "./key-stats.ts";
