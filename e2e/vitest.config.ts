import { defineConfig } from "vitest/config";

// End-to-end: the real system (every worker in one workerd, persisted state) started once,
// driven over HTTP through the gateway only.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "security/**/*.test.ts"],
    globalSetup: ["./support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
