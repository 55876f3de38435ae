#!/usr/bin/env node
// The `streamsim` command. It runs the compiled CLI in dist/ (built by `npm ci` through `prepare`, or
// `npm run build`), so nothing compiles TypeScript at start. It runs the TypeScript sources through
// tsx's loader instead when dist/ is missing, older than a source file (a checkout being edited), or
// STREAMSIM_FROM_SOURCE=1 is set: what runs is always the code in the checkout.
import { compiledEntry } from "./entry.js";

const entry = compiledEntry(new URL("..", import.meta.url), process.env);
if (entry === null) {
  const { register } = await import("tsx/esm/api");
  register();
}
const { main } = await import(entry ?? "../sim/cli/main.ts");
await main(process.argv);
