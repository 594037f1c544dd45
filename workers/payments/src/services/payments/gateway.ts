import { faultyQueue } from "@shop/runtime";
import type { PaymentsBindings, PaymentsContext } from "../../env";
import type { PaymentProvider } from "../providers/provider";
import { selectProvider } from "../providers/select";

/** The payment-events producer (test runs may arm duplicate, out-of-order delivery on it). */
export function paymentEvents(env: PaymentsBindings) {
  return faultyQueue(env, env.PAYMENT_EVENTS, "payments.events");
}

/** The gateway the verbs talk to: the configured one (Stripe or the simulator), or a test's. */
export function paymentProvider(ctx: Pick<PaymentsContext, "env">): PaymentProvider {
  return ctx.env.PAYMENT_GATEWAY ?? selectProvider(ctx.env);
}
