import type { CallMeta } from "@shop/contracts";
import { type ServiceContext, type ServiceEnv, serviceContextFor } from "@shop/runtime";
import { type Db, database } from "./db/client";
import type { PaymentProvider } from "./services/providers/provider";

/** Bindings from wrangler.toml plus the secrets, which `wrangler types` cannot see. */
export type PaymentsBindings = Env & {
  STRIPE_SECRET_KEY?: string;
  /** Comma-separated while rotating: every listed secret is tried. */
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_WEBHOOK_SECRET_PREVIOUS?: string;
  /**
   * Optional var for test runs: another Stripe API base (the fake Stripe from @shop/testing, e.g.
   * http://127.0.0.1:12111). Unset in staging and production: the SDK talks to api.stripe.com.
   */
  STRIPE_API_BASE?: string;
  /**
   * Never a binding: a worker's tests put a gateway here (e.g. one whose refunds fail) to run the
   * verbs against it. Unset, the gateway is chosen from the configuration (`paymentProvider`).
   */
  PAYMENT_GATEWAY?: PaymentProvider;
};

/** The Hono env: bindings, the shared variables and `ctx` (ADR 0021). */
export type PaymentsEnv = ServiceEnv<PaymentsBindings, Db>;
/** What every payments service verb gets first. */
export type PaymentsContext = ServiceContext<Db, PaymentsBindings>;

/**
 * The context of an entry point outside the Hono app (RPC, queue consumers, cron): the caller's
 * ids continue when given; `now` is the verb's clock (the cron's scheduled time).
 */
export function paymentsContext(
  env: PaymentsBindings,
  execution: Pick<ExecutionContext, "waitUntil">,
  opts: { meta?: CallMeta | undefined; now?: number } = {},
): PaymentsContext {
  return serviceContextFor({
    db: database(env.DB),
    env,
    meta: opts.meta,
    ...(opts.now === undefined ? {} : { now: opts.now }),
    defer: (work) => execution.waitUntil(work),
  });
}
