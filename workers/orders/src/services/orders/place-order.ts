import type { PlaceOrderBody } from "@shop/contracts";
import { callerOf, claimIdempotent, Forbidden, newId, requestFingerprint } from "@shop/runtime";
import type { OrdersContext } from "../../env";
import { cartStub } from "../carts/cart-key";
import { precheckOrder } from "../checkout/price-order";
import type { CreationOutcome, PlaceOutcome } from "../order-saga/types";
import { callMetaOf, orderStub } from "./order-stub";

/**
 * How this request to place an order ended, for the route to answer in HTTP: `done` with the
 * stored outcome (the first request's, `replayed` for every retry), `accepted` while the order
 * is still being placed, `in_flight` while another request with the key is placing it,
 * `empty_cart` when there was nothing to order.
 */
export type PlaceOrderResult =
  | { kind: "done"; creation: CreationOutcome; replayed: boolean }
  | { kind: "accepted"; order: unknown }
  | { kind: "in_flight" }
  | { kind: "empty_cart" };

/**
 * `POST /orders` with Stripe's idempotency semantics: the key (per user) is claimed for one
 * order id; the OrderDO of that id places the order from the shopper's cart and keeps the first
 * outcome, which every retry with the same key and body gets back. Another body → the claim's
 * error, a retry while the first is still running → `in_flight`.
 */
export async function placeOrder(
  ctx: OrdersContext,
  input: {
    idempotencyKey: string;
    body: PlaceOrderBody;
    /** The public origin the shopper used (the gateway's), for the order page after 3-D Secure. */
    origin?: string;
    /** The shopper's market (ADR 0032): the cart is priced in it; absent, the cart's own. */
    market?: string | undefined;
  },
): Promise<PlaceOrderResult> {
  const principal = callerOf(ctx);
  const { idempotencyKey, body, origin } = input;
  const env = ctx.env;
  // A first request refused on its face (address, method, code) holds nothing; a replay is
  // answered by the order as placing ended, whatever changed since. The precheck's reads (a code
  // is read fresh, ADR 0037) run while the key is claimed; its verdict counts only for a first
  // request.
  const precheck =
    body.shippingMethodId || body.promoCode
      ? precheckOrder(ctx.db, {
          country: body.shippingAddress.country,
          shippingMethodId: body.shippingMethodId,
          promoCode: body.promoCode,
          now: new Date(ctx.meta.now),
        }).then(
          () => undefined,
          (err: unknown) => ({ err }),
        )
      : Promise.resolve(undefined);
  const claim = await claimIdempotent(
    env.DB,
    { scope: `order:${principal.userId}`, key: idempotencyKey, fingerprint: await requestFingerprint(body) },
    { orderId: newId("order") },
  );
  const { orderId } = claim.value;
  const refused = await precheck;
  if (refused && !claim.replayed) throw refused.err;
  const cart = await cartStub(env, { kind: "user", userId: principal.userId }).read({
    kind: "user",
    userId: principal.userId,
  });
  const market = input.market ?? cart.market ?? undefined;
  const outcome: PlaceOutcome = (await orderStub(env, orderId).place({
    orderId,
    userId: principal.userId,
    lines: cart.lines,
    shippingAddress: body.shippingAddress,
    paymentMethod: body.paymentMethod,
    // The order is placed in the market the shopper's cart is priced in (ADR 0032).
    ...(market ? { market } : {}),
    checkout: {
      ...(body.shippingMethodId ? { shippingMethodId: body.shippingMethodId } : {}),
      ...(body.promoCode ? { promoCode: body.promoCode } : {}),
      ...(body.displayedTotal !== undefined ? { displayedTotal: body.displayedTotal } : {}),
    },
    ...(origin ? { returnUrl: `${origin}/#/orders/${orderId}` } : {}),
    ...callMetaOf(ctx),
  })) as PlaceOutcome;
  if (outcome.kind === "forbidden") throw new Forbidden("This order belongs to another user.");
  if (outcome.kind === "in_flight" || outcome.kind === "empty_cart") return { kind: outcome.kind };
  if (outcome.kind === "accepted") return { kind: "accepted", order: outcome.body };
  return outcome;
}
