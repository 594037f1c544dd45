import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { Problem } from "@shop/contracts";
import { AppError, badRequest } from "@shop/runtime";
import { database } from "../../db/client";
import type { PaymentsApp } from "../../env";
import { applyProviderEvent } from "../../services/payments/apply-provider-event";
import { paymentEvents } from "../../services/payments/deps";
import { fromStripeEvent } from "../../services/webhooks/stripe-event";
import { verifyStripeEvent, webhookSecrets } from "../../services/webhooks/verify-stripe";

const problem = { "application/problem+json": { schema: Problem } };

/** Read raw (createApp's `rawBodyPaths`): the signature covers the exact bytes Stripe sent. */
export const WEBHOOK_PATH = "/payments/webhook";

const stripeWebhookRoute = createRoute({
  method: "post",
  path: WEBHOOK_PATH,
  tags: ["payments"],
  summary: "Stripe webhook endpoint (signature-verified; duplicates acknowledged without effect)",
  request: { headers: z.object({ "stripe-signature": z.string().min(1).max(2000) }) },
  responses: {
    200: {
      description: "Event received (applied, duplicate or ignored)",
      content: { "application/json": { schema: z.object({ received: z.literal(true), result: z.string() }) } },
    },
    400: {
      description: "Missing or invalid signature, stale timestamp, or a body that is not an event",
      content: problem,
    },
    503: { description: "Webhooks are not configured here", content: problem },
  },
});

export function registerStripeWebhook(app: OpenAPIHono<PaymentsApp>) {
  app.openapi(stripeWebhookRoute, async (c) => {
    const secrets = webhookSecrets(c.env);
    if (!secrets.length) throw new AppError(503, "service_unavailable", "Stripe webhooks are not configured.");
    const raw = await c.req.text();
    const event = await verifyStripeEvent(raw, c.req.valid("header")["stripe-signature"], secrets);
    if (!event) throw badRequest("The Stripe-Signature header does not verify for this body.");
    const result = await applyProviderEvent(
      { db: database(c.env.DB), events: paymentEvents(c.env), traceparent: c.get("traceparent") },
      fromStripeEvent(event),
    );
    return c.json({ received: true as const, result }, 200);
  });
}
