import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The fixture worker runs with the armed test harness, as the battery's builds do (ADR 0015).
  resolve: {
    alias: { "@shop/runtime/harness": fileURLToPath(new URL("./src/harness/armed.ts", import.meta.url)) },
  },
  plugins: [
    cloudflareTest({
      main: "./test/fixture-worker.ts",
      miniflare: {
        compatibilityDate: "2026-11-01",
        compatibilityFlags: ["nodejs_compat"],
        d1Databases: ["DB"],
      },
    }),
  ],
});
