import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "@shop/testing/node";
import { workerVitestConfig } from "@shop/testing/vitest";
import { unstable_readConfig } from "wrangler";

/**
 * The queues each environment declares, as wrangler resolves them for a deploy (queues are
 * per environment, never inherited from the top level): test/config checks that no simulator
 * machinery reaches staging or production. The top level (local dev, tests) is the control.
 */
const deployedQueues = Object.fromEntries(
  ["", "staging", "production"].map((name) => {
    const config = unstable_readConfig(
      { config: `${REPO_ROOT}/workers/payments/wrangler.toml`, env: name || undefined },
      { hideWarnings: true },
    );
    return [name || "local", { name: config.name, queues: config.queues }];
  }),
);

export default workerVitestConfig({
  worker: "payments",
  signingKey: true,
  migrations: ["payments"],
  bindings: {
    // JSON log lines, as deployed: the dead-letter tests read their fields.
    LOG_FORMAT: "json",
    // Rate limits off like the other harnesses; test/rate-limits.test.ts turns them on to prove the 429.
    RATE_LIMITS: "off",
    TEST_DEPLOYED_QUEUES: deployedQueues,
    // Webhook signing secrets only: without STRIPE_SECRET_KEY the provider stays simulated.
    STRIPE_WEBHOOK_SECRET: "whsec_test_current",
    STRIPE_WEBHOOK_SECRET_PREVIOUS: "whsec_test_previous",
  },
  auxiliaryWorkers: ["users"],
  // The armed runtime harness (ADR 0015), as the battery and the benchmark run it: its D1 meter
  // counts the isolate's round trips (`/__meters`), which test/create-round-trips.test.ts holds to.
  vite: {
    resolve: {
      alias: {
        "@shop/runtime/harness": fileURLToPath(new URL("../../packages/runtime/src/harness/armed.ts", import.meta.url)),
      },
    },
  },
});
