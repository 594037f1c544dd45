import { PaymentEvent } from "@shop/contracts";
import { faultArmed, injectFault, log, retryDelaySeconds } from "@shop/runtime";
import type { OrdersContext } from "../env";
import { applyPaymentEvent } from "../services/orders/apply-payment-event";

/** Redelivery delays: 2 s, 4 s, 8 s … capped at 5 minutes. */
const RETRY = { baseSeconds: 2, maxSeconds: 300 };

/**
 * `payment-events` consumer: each message goes to its order's DO, which de-duplicates by
 * event id and ignores stale facts. A malformed message can never succeed, so it is
 * acknowledged and logged; a failure to reach the DO is retried with backoff and ends in
 * the dead-letter queue after `max_retries`.
 */
export async function consumePaymentEvents(batch: MessageBatch<unknown>, ctx: OrdersContext): Promise<void> {
  const env = ctx.env;
  for (const message of batch.messages) {
    const parsed = PaymentEvent.safeParse(message.body);
    if (!parsed.success) {
      log("error", {
        worker: "orders",
        msg: "malformed payment event",
        messageId: message.id,
        issues: parsed.error.issues.length,
      });
      message.ack();
      continue;
    }
    const event = parsed.data;
    try {
      await injectFault(env, "orders.payment-events");
      // Test-only (armed harness builds only, ADR 0015): one order's events fail and are retried
      // without backoff, so they reach the dead-letter queue in seconds (the battery's replay row).
      if (faultArmed(env, `orders.payment-events.poison:${event.data.orderId}`)) {
        message.retry({ delaySeconds: 0 });
        continue;
      }
      const outcome = await applyPaymentEvent(ctx, event);
      log("info", { worker: "orders", msg: "payment event", eventId: event.id, order: event.data.orderId, outcome });
      message.ack();
    } catch (err) {
      log("warn", { worker: "orders", msg: "payment event retry", eventId: event.id, error: String(err) });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, RETRY) });
    }
  }
}
