// Loading scenarios in tests: the example files under scenarios/ (shortened or with another seed),
// and scenario text written inline in a test. A scenario that does not load is a broken test, so it
// throws with every issue at its line:col.

import { join } from "node:path";
import { formatIssue, loadScenarioFile, loadScenarioText, type Scenario } from "../../sim/scenario/index.ts";

/** An example scenario, by file name under scenarios/, with the CLI's --duration and --seed overrides. */
export function loadExample(file: string, options: { durationUs?: number; seed?: number } = {}): Scenario {
  const loaded = loadScenarioFile(join("scenarios", file), options);
  if (!loaded.ok) throw new Error(`${file} does not load:\n${loaded.issues.map(formatIssue).join("\n")}`);
  return loaded.scenario;
}

/** Scenario text written in a test; `name` is the file name its issues are reported against. */
export function loadInline(text: string, name = "test/inline.yaml"): Scenario {
  const loaded = loadScenarioText(text, name);
  if (!loaded.ok) throw new Error(`${name} does not load:\n${loaded.issues.map(formatIssue).join("\n")}\n${text}`);
  return loaded.scenario;
}
