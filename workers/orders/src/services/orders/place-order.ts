import type { CallMeta, PlaceOrderBody, Principal } from "@shop/contracts";
import { AppError, forbidden } from "@shop/runtime";
import type { OrdersBindings } from "../../env";
import { cartStub } from "../carts/cart-key";
import type { PlaceOutcome } from "../order-saga/types";
import { claimIdempotencyKey } from "./claim-idempotency-key";
import { orderStub } from "./order-stub";

export type PlaceOrderResponse = { status: number; body: unknown; contentType?: string; replayed: boolean };

/**
 * `POST /orders` with Stripe's idempotency semantics: the key (per user) is claimed for one
 * order id; the OrderDO of that id places the order from the shopper's cart and keeps the first
 * response, which every retry with the same key and body gets back. Another body → 422, a retry
 * while the first is still running → 409.
 */
export async function placeOrder(
  env: OrdersBindings,
  principal: Principal,
  idempotencyKey: string,
  body: PlaceOrderBody,
  meta: CallMeta,
  /** The public origin the shopper used (the gateway's), for the order page after 3-D Secure. */
  origin?: string,
): Promise<PlaceOrderResponse> {
  const claim = await claimIdempotencyKey(env.DB, principal.userId, idempotencyKey, body);
  if (claim.kind === "mismatch") {
    throw new AppError(
      422,
      "idempotency_key_reused",
      "This Idempotency-Key was used with a different request body; use a new key for a new order.",
    );
  }
  const cart = await cartStub(env, { kind: "user", userId: principal.userId }).read({
    kind: "user",
    userId: principal.userId,
  });
  const outcome: PlaceOutcome = (await orderStub(env, claim.orderId).place({
    orderId: claim.orderId,
    userId: principal.userId,
    lines: cart.lines,
    shippingAddress: body.shippingAddress,
    paymentMethod: body.paymentMethod,
    ...(origin ? { returnUrl: `${origin}/#/orders/${claim.orderId}` } : {}),
    ...meta,
  })) as PlaceOutcome;
  if (outcome.kind === "in_flight") {
    throw new AppError(
      409,
      "idempotency_in_flight",
      "A request with this Idempotency-Key is still being processed; retry shortly.",
      undefined,
      {
        "retry-after": "1",
      },
    );
  }
  if (outcome.kind === "forbidden") throw forbidden("This order belongs to another user.");
  if (outcome.kind === "empty_cart") {
    throw new AppError(422, "unprocessable", "The cart is empty.", [{ path: "cart", message: "has no lines" }]);
  }
  if (outcome.kind === "accepted") return { status: 202, body: outcome.body, replayed: false };
  const stored = outcome.body as Record<string, unknown>;
  return {
    status: outcome.status,
    body: stored,
    ...(outcome.status >= 400 ? { contentType: "application/problem+json" } : {}),
    replayed: outcome.replayed,
  };
}
