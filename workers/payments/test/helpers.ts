import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import type { PaymentEvent } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { bearer, mintToken } from "@shop/testing/worker";
import { type PaymentsBindings, paymentsContext } from "../src/env";
import worker from "../src/index";
import { PaymentsRpc } from "../src/rpc";
import type { PaymentProvider } from "../src/services/providers/provider";
import type { SimulatedEvent } from "../src/services/providers/simulated";

/** A queue binding that records what the worker sends (the platform's delivery is not under test). */
export function recordingQueue<T>() {
  const sent: { body: T; delaySeconds?: number }[] = [];
  const queue = {
    async send(body: T, options?: QueueSendOptions) {
      sent.push({ body, ...(options?.delaySeconds ? { delaySeconds: options.delaySeconds } : {}) });
    },
    async sendBatch(messages: Iterable<MessageSendRequest<T>>) {
      for (const m of messages) sent.push({ body: m.body });
    },
  };
  return { queue: queue as unknown as Queue<T>, sent };
}

/**
 * The worker's real bindings (D1, USERS) with the two queues replaced by recorders, so a test
 * decides when the simulated gateway's outcomes are delivered and sees every payment event.
 */
export function harness(overrides: Partial<PaymentsBindings> = {}) {
  const events = recordingQueue<PaymentEvent>();
  const simulator = recordingQueue<SimulatedEvent>();
  const testEnv = {
    ...env,
    PAYMENT_EVENTS: events.queue,
    SIMULATOR: simulator.queue,
    ...overrides,
  } as PaymentsBindings;
  return {
    env: testEnv,
    rpc: new PaymentsRpc(createExecutionContext(), testEnv),
    events: events.sent,
    simulated: simulator.sent,
    /**
     * A service context over these bindings, as the RPC entrypoint and the cron build one: `now`
     * is the verbs' clock, `gateway` a provider to use instead of the simulated one.
     */
    context: (opts: { now?: number; gateway?: PaymentProvider } = {}) =>
      paymentsContext(
        opts.gateway ? { ...testEnv, PAYMENT_GATEWAY: opts.gateway } : testEnv,
        createExecutionContext(),
        opts.now === undefined ? {} : { now: opts.now },
      ),
    /** Payment events sent so far, as their data. */
    statuses: () => events.sent.map((m) => m.body.data.status),
    fetch: async (path: string, init?: RequestInit) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`https://payments.internal${path}`, init), testEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    },
    /** Drives the simulator queue consumer with what the gateway queued (or the given messages). */
    deliver: async (messages: SimulatedEvent[] = simulator.sent.splice(0).map((m) => m.body)) => {
      const batch = createMessageBatch<SimulatedEvent>(
        "payments-simulator",
        messages.map((body, i) => ({ id: `msg-${i}-${body.id}`, timestamp: new Date(), attempts: 1, body })),
      );
      const ctx = createExecutionContext();
      await worker.queue(batch, testEnv, ctx);
      return getQueueResult(batch, ctx);
    },
  };
}

export const orderId = () => newId("order");
export const userId = () => newId("user");

export async function tokenFor(sub: string, role: "customer" | "admin" = "customer") {
  return bearer(await mintToken(env.TEST_SIGNING_JWK, { sub, role }));
}

export function createInput(
  overrides: Partial<{
    orderId: string;
    userId: string;
    amount: number;
    currency: string;
    paymentMethod: string;
    returnUrl: string;
  }> = {},
) {
  return {
    orderId: orderId(),
    userId: userId(),
    amount: 2599,
    currency: "USD",
    paymentMethod: "pm_card_visa",
    ...overrides,
  };
}
