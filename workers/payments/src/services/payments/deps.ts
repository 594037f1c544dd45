import type { CallMeta } from "@shop/contracts";
import { faultyQueue } from "@shop/runtime";
import { database } from "../../db/client";
import type { PaymentsEnv } from "../../env";
import { selectProvider } from "../providers/select";

/** The payment-events producer (test runs may arm duplicate, out-of-order delivery on it). */
export function paymentEvents(env: PaymentsEnv) {
  return faultyQueue(env, env.PAYMENT_EVENTS, "payments.events");
}

/** What the payment verbs need, built from the worker's bindings. */
export function paymentDeps(env: PaymentsEnv, meta?: CallMeta) {
  return {
    db: database(env.DB),
    provider: selectProvider(env),
    events: paymentEvents(env),
    ...(meta?.traceparent ? { traceparent: meta.traceparent } : {}),
  };
}
