import { defineConfig } from "vitest/config";

// The correctness battery: the promises (never oversold, never charged twice, never charged
// without an order, every notification once) attacked on the real system, with the test-only
// fault switches on. `npm run battery` runs all of it; CI runs the fast part (BATTERY_FAST=1).
export default defineConfig({
  test: {
    include: ["battery/**/*.test.ts"],
    globalSetup: ["./support/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
