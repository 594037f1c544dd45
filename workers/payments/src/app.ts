import { AUTHENTICATE_PATH } from "@shop/contracts";
import { createApp, registerRoutes } from "@shop/runtime";
import { database } from "./db/client";
import type { PaymentsEnv } from "./env";
import { listDeadLettersHandler, listDeadLettersRoute } from "./routes/dead-letters/list";
import { replayDeadLetterHandler, replayDeadLetterRoute } from "./routes/dead-letters/replay";
import {
  authenticatePageHandler,
  authenticatePageRoute,
  authenticateSubmitHandler,
  authenticateSubmitRoute,
} from "./routes/payments/authenticate";
import { getPaymentHandler, getPaymentRoute } from "./routes/payments/get";
import { listPaymentsHandler, listPaymentsRoute } from "./routes/payments/list";
import { refundPaymentHandler, refundPaymentRoute } from "./routes/payments/refund";
import { stripeWebhookHandler, stripeWebhookRoute, WEBHOOK_PATH } from "./routes/payments/webhook";

export const app = createApp<PaymentsEnv>("payments", {
  rawBodyPaths: [WEBHOOK_PATH, AUTHENTICATE_PATH],
  openapi: { title: "Shop payments", description: "Payments, refunds and the Stripe webhook." },
  // Every handler hands `c.var.ctx` (drizzle over DB, bindings, request meta, principal) to its service.
  serviceContext: (env) => database(env.DB),
});

// The webhook is registered before `/payments/{id}` routes so its literal path wins.
registerRoutes(app, [
  [stripeWebhookRoute, stripeWebhookHandler],
  [authenticatePageRoute, authenticatePageHandler],
  [authenticateSubmitRoute, authenticateSubmitHandler],
  [listPaymentsRoute, listPaymentsHandler],
  // Before `/payments/{id}`: the literal `/payments/dead-letters` must win.
  [listDeadLettersRoute, listDeadLettersHandler],
  [replayDeadLetterRoute, replayDeadLetterHandler],
  [getPaymentRoute, getPaymentHandler],
  [refundPaymentRoute, refundPaymentHandler],
]);
