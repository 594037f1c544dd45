import { defineConfig } from "vitest/config";

// The version-skew journey (ADR 0016): run by scripts/version-skew.mjs against systems whose
// workers come from two commits (E2E_WORKER_TREES), not by `npm test`.
export default defineConfig({
  test: {
    include: ["skew/**/*.test.ts"],
    globalSetup: ["./support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
