import type { CallMeta } from "@shop/contracts";
import { database } from "../../db/client";
import type { PaymentsEnv } from "../../env";
import { selectProvider } from "../providers/select";

/** What the payment verbs need, built from the worker's bindings. */
export function paymentDeps(env: PaymentsEnv, meta?: CallMeta) {
  return {
    db: database(env.DB),
    provider: selectProvider(env),
    events: env.PAYMENT_EVENTS,
    ...(meta?.traceparent ? { traceparent: meta.traceparent } : {}),
  };
}
