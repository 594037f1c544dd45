import type { AppEnv } from "@shop/runtime";

/** Bindings from wrangler.toml plus the secrets, which `wrangler types` cannot see. */
export type PaymentsEnv = Env & {
  STRIPE_SECRET_KEY?: string;
  /** Comma-separated while rotating: every listed secret is tried. */
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_WEBHOOK_SECRET_PREVIOUS?: string;
  /**
   * Optional var for test runs: another Stripe API base (the fake Stripe from @shop/testing, e.g.
   * http://127.0.0.1:12111). Unset in staging and production: the SDK talks to api.stripe.com.
   */
  STRIPE_API_BASE?: string;
};

export type PaymentsApp = AppEnv<PaymentsEnv>;
