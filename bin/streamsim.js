#!/usr/bin/env node
// The `streamsim` command: runs the TypeScript CLI through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../sim/cli/main.ts");
await main(process.argv);
