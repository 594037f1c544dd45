import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

/**
 * Test machinery is not production code: the simulated gateway's queue, its consumer and its
 * dead-letter queue exist only in the local and test configuration. Read from wrangler.toml as
 * wrangler resolves it for `--env staging` / `--env production` (see vitest.config.ts).
 */

const queueNamesOf = (config: (typeof env.TEST_DEPLOYED_QUEUES)["local"]) => [
  ...(config.queues.producers ?? []).flatMap((p) => [p.binding, p.queue]),
  ...(config.queues.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue ?? ""]),
];

describe("payments wrangler.toml per environment", () => {
  it("local dev and tests have the simulator queue, its consumer, its DLQ and the DLQ's consumer (the control)", () => {
    const local = env.TEST_DEPLOYED_QUEUES.local;
    expect(local.queues.producers).toContainEqual({ binding: "SIMULATOR", queue: "payments-simulator" });
    expect(local.queues.consumers?.map((c) => c.queue)).toEqual(
      expect.arrayContaining(["payments-simulator", "payments-simulator-dlq"]),
    );
    expect(queueNamesOf(local).filter((n) => /simulator/i.test(n)).length).toBeGreaterThan(0);
  });

  it.each(["staging", "production"] as const)("%s declares no simulator queue, consumer or binding", (name) => {
    const deployed = env.TEST_DEPLOYED_QUEUES[name];
    expect(deployed.name).toBe(`payments-${name}`);
    expect(queueNamesOf(deployed).filter((n) => /simulator/i.test(n))).toEqual([]);
    // Payment events still flow to orders there.
    expect(deployed.queues.producers).toContainEqual({ binding: "PAYMENT_EVENTS", queue: `payment-events-${name}` });
  });
});
