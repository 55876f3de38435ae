// Which CLI bin/streamsim.js runs: the compiled one (dist/sim/cli/main.js) when it is built and no
// source file is newer than the build, else null (the sources, through tsx). Plain JavaScript: it runs
// before anything can compile TypeScript.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The compiled entry's URL, or null to run the sources. `root` is the package folder's URL. */
export function compiledEntry(root, env) {
  if (env.STREAMSIM_FROM_SOURCE === "1") return null;
  const folder = fileURLToPath(root);
  let built;
  try {
    built = statSync(join(folder, "dist", ".built")).mtimeMs;
  } catch {
    return null;
  }
  for (const sources of ["sim", "reports"]) if (newerThan(join(folder, sources), built)) return null;
  return new URL("dist/sim/cli/main.js", root).href;
}

/** Whether any .ts file under `folder` was changed after `time` (a few hundred stats: milliseconds). */
function newerThan(folder, time) {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (newerThan(path, time)) return true;
    } else if (entry.name.endsWith(".ts") && statSync(path).mtimeMs > time) return true;
  }
  return false;
}
