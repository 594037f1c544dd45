import { AUTHENTICATE_PATH } from "@shop/contracts";
import { createApp } from "@shop/runtime";
import type { PaymentsApp } from "./env";
import { registerListDeadLetters } from "./routes/dead-letters/list";
import { registerReplayDeadLetter } from "./routes/dead-letters/replay";
import { registerAuthenticate } from "./routes/payments/authenticate";
import { registerGetPayment } from "./routes/payments/get";
import { registerListPayments } from "./routes/payments/list";
import { registerRefundPayment } from "./routes/payments/refund";
import { registerStripeWebhook, WEBHOOK_PATH } from "./routes/payments/webhook";

export const app = createApp<PaymentsApp>("payments", {
  rawBodyPaths: [WEBHOOK_PATH, AUTHENTICATE_PATH],
  openapi: { title: "Shop payments", description: "Payments, refunds and the Stripe webhook." },
});

// The webhook is registered before `/payments/{id}` routes so its literal path wins.
registerStripeWebhook(app);
registerAuthenticate(app);
registerListPayments(app);
// Before `/payments/{id}`: the literal `/payments/dead-letters` must win.
registerListDeadLetters(app);
registerReplayDeadLetter(app);
registerGetPayment(app);
registerRefundPayment(app);
