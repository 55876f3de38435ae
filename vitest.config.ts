import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Example scenarios run whole simulations (a few seconds each on a quiet 2-core machine); a busy or
// slower CI machine must not turn them into timeouts, so tests get 60 s instead of vitest's 5 s.
//
// Workers: vitest's default for `vitest run` is one fewer than the cores, which on a 2-core machine
// is a single worker, so the test files ran one after another on one core while the other idled.
// The files are CPU-bound simulations with no shared state, so one worker per core halves the wall
// time there; on larger machines it changes little.
//
// Commands the tests start (bin/streamsim.js) run the compiled dist/ when `npm ci` has built it and no
// source is newer (bin/entry.js), else the sources: either way the code in the checkout, and a CLI
// process starts in ~0.3 s instead of ~1 s through tsx.
//
// Isolation: off. With it on, every one of ~190 test files loaded the simulator's modules afresh
// (188 s of imports across the two workers, 475 s in all on a clean clone of a 2-core machine); off,
// a worker loads them once (23 s, 291 s in all). The files share no state that outlives them: spies
// are restored, the in-process CLI restores process.exitCode, and the models keep no module-level
// state between runs.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    maxWorkers: availableParallelism(),
    isolate: false,
  },
});
