import { callerOf, type Idempotent, requestFingerprint, runIdempotent, Unavailable } from "@shop/runtime";
import type { PaymentsContext } from "../../env";
import { ProviderUnavailableError } from "../providers/provider";
import { type RefundInput, refundPayment } from "./refund";
import { refundView } from "./refund-view";

export type RefundView = Awaited<ReturnType<typeof refundView>>;

/**
 * An admin's refund request, once per (admin, Idempotency-Key) through the runtime's idempotency
 * records: the outcome — the refund, or the refund service's refusal (`not_found`,
 * `not_refundable`, `amount_too_large`) — is stored and replayed to every later request with the
 * same key and body (`replayed: true`); the same key with another body, or while the first is
 * still running, throws the runtime's idempotency errors. A gateway outage is `Unavailable` and
 * stores nothing, so a retry with the same key asks again.
 */
export async function requestRefund(ctx: PaymentsContext, input: RefundInput): Promise<Idempotent<RefundView>> {
  const admin = callerOf(ctx);
  // The fingerprint's first element names the request kind; stored records depend on its wording.
  const fingerprint = await requestFingerprint([
    "POST /payments/{id}/refund",
    input.paymentId,
    input.amount ?? null,
    input.reason,
  ]);
  const claim = { scope: `refund:${admin.userId}`, key: input.idempotencyKey, fingerprint };
  return runIdempotent<RefundView>(ctx.env.DB, claim, async () => {
    let result: Awaited<ReturnType<typeof refundPayment>>;
    try {
      result = await refundPayment(ctx, input);
    } catch (err) {
      if (err instanceof ProviderUnavailableError) {
        throw new Unavailable("The payment provider is unavailable; retry with the same key.");
      }
      throw err;
    }
    if (!result.ok) return { ok: false, code: result.code, detail: result.message };
    return { ok: true, value: await refundView(ctx.db, result.refundId) };
  });
}
