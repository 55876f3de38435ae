import { defineConfig } from "vitest/config";

// Example scenarios run whole simulations (a few seconds each on a quiet 2-core machine); a busy or
// slower CI machine must not turn them into timeouts, so tests get 60 s instead of vitest's 5 s.
export default defineConfig({
  test: {
    testTimeout: 60_000,
  },
});
