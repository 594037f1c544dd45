import { AppError, badRequest } from "@shop/runtime";
import type Stripe from "stripe";
import type { PaymentsBindings } from "../env";
import { verifyStripeEvent, webhookSecrets } from "../services/webhooks/verify-stripe";

/**
 * The webhook's authentication: the `Stripe-Signature` header over the exact bytes Stripe sent,
 * with each configured signing secret. 503 when none is configured, 400 when it does not verify.
 */
export async function verifiedStripeEvent(
  env: PaymentsBindings,
  rawBody: string,
  signature: string,
): Promise<Stripe.Event> {
  const secrets = webhookSecrets(env);
  if (!secrets.length) throw new AppError(503, "service_unavailable", "Stripe webhooks are not configured.");
  const event = await verifyStripeEvent(rawBody, signature, secrets);
  if (!event) throw badRequest("The Stripe-Signature header does not verify for this body.");
  return event;
}
