import Stripe from "stripe";

/** Stripe's documented replay window; a signature older than this is refused. */
const WEBHOOK_TOLERANCE_SECONDS = 300;

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * Every configured signing secret, newest first: STRIPE_WEBHOOK_SECRET may list several
 * (comma-separated) and STRIPE_WEBHOOK_SECRET_PREVIOUS holds the one being rotated out.
 */
export function webhookSecrets(env: { STRIPE_WEBHOOK_SECRET?: string; STRIPE_WEBHOOK_SECRET_PREVIOUS?: string }) {
  return [env.STRIPE_WEBHOOK_SECRET, env.STRIPE_WEBHOOK_SECRET_PREVIOUS]
    .flatMap((v) => (v ?? "").split(","))
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Verifies the `Stripe-Signature` header over the raw body with each secret in turn (a header
 * may carry several `v1` signatures during a rotation; one match is enough). Null when none match,
 * the timestamp is outside the tolerance, or the header is malformed.
 */
export async function verifyStripeEvent(
  rawBody: string,
  signature: string,
  secrets: string[],
): Promise<Stripe.Event | null> {
  for (const secret of secrets) {
    try {
      return await Stripe.webhooks.constructEventAsync(
        rawBody,
        signature,
        secret,
        WEBHOOK_TOLERANCE_SECONDS,
        cryptoProvider,
      );
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) return null;
    }
  }
  return null;
}
