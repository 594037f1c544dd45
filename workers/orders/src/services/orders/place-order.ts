import type { CallMeta, PlaceOrderBody, Principal } from "@shop/contracts";
import { AppError, claimIdempotent, forbidden, newId, requestFingerprint } from "@shop/runtime";
import type { OrdersBindings } from "../../env";
import { cartStub } from "../carts/cart-key";
import type { CreationOutcome, PlaceOutcome } from "../order-saga/types";
import { orderStub } from "./order-stub";

/**
 * How this request to place an order ended, for the route to answer in HTTP: `done` with the
 * stored outcome (the first request's, `replayed` for every retry), or `accepted` while the
 * order is still being placed.
 */
export type PlaceOrderResult =
  | { kind: "done"; creation: CreationOutcome; replayed: boolean }
  | { kind: "accepted"; order: unknown };

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
): Promise<PlaceOrderResult> {
  const claim = await claimIdempotent(
    env.DB,
    { scope: `order:${principal.userId}`, key: idempotencyKey, fingerprint: await requestFingerprint(body) },
    { orderId: newId("order") },
  );
  const { orderId } = claim.value;
  const cart = await cartStub(env, { kind: "user", userId: principal.userId }).read({
    kind: "user",
    userId: principal.userId,
  });
  const outcome: PlaceOutcome = (await orderStub(env, orderId).place({
    orderId,
    userId: principal.userId,
    lines: cart.lines,
    shippingAddress: body.shippingAddress,
    paymentMethod: body.paymentMethod,
    ...(origin ? { returnUrl: `${origin}/#/orders/${orderId}` } : {}),
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
  if (outcome.kind === "accepted") return { kind: "accepted", order: outcome.body };
  return outcome;
}
