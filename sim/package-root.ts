// Where the package's own files are (package.json, sim/cost/prices/, sim/cost/instances.yaml), found
// the same way when running the sources (sim/...) and the compiled CLI (dist/sim/...): the nearest
// folder above this module whose package.json is streamsim's. Data files are not copied into dist/.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "streamsim") return folder;
    if (dirname(folder) === folder) throw new Error(`no streamsim package.json above ${start}`);
  }
}

/** The package's root folder. */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, from its root: packagePath("sim", "cost", "instances.yaml"). */
export const packagePath = (...parts: string[]): string => join(packageRoot, ...parts);

/** The package's version, from its package.json. */
export const packageVersion: string = (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
