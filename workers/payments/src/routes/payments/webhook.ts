import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { Problem } from "@shop/contracts";
import type { PaymentsEnv } from "../../env";
import { verifiedStripeEvent } from "../../http/stripe-signature";
import { applyStripeEvent } from "../../services/webhooks/apply-stripe-event";

const problem = { "application/problem+json": { schema: Problem } };

/** Read raw (createApp's `rawBodyPaths`): the signature covers the exact bytes Stripe sent. */
export const WEBHOOK_PATH = "/payments/webhook";

export const stripeWebhookRoute = createRoute({
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

export const stripeWebhookHandler: RouteHandler<typeof stripeWebhookRoute, PaymentsEnv> = async (c) => {
  const event = await verifiedStripeEvent(c.env, await c.req.text(), c.req.valid("header")["stripe-signature"]);
  const result = await applyStripeEvent(c.var.ctx, event);
  return c.json({ received: true as const, result }, 200);
};
