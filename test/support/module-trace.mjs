// `node --import ./test/support/module-trace.mjs …` with STREAMSIM_MODULE_TRACE=FILE: appends the URL of
// every module the process resolves to FILE, one a line, so a test can see what a command loads.
// Plain JavaScript, registered before anything else runs (the CLI may run through tsx's hooks after it).
import { register } from "node:module";

const file = process.env.STREAMSIM_MODULE_TRACE;
if (file === undefined || file === "") throw new Error("module-trace.mjs needs STREAMSIM_MODULE_TRACE=FILE");

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from "node:fs";
    let file;
    export function initialize(data) { file = data.file; }
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(file, resolved.url + "\\n");
      return resolved;
    }
  `)}`,
  { data: { file } },
);
