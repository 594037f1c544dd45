import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import {
  IdempotencyKey,
  InsufficientStockProblem,
  Order,
  PlaceOrderBody,
  PROBLEM_CONTENT_TYPE,
  PriceChangedProblem,
  Problem,
} from "@shop/contracts";
import { AppError, idempotencyProblem, problemBody, problemResponses } from "@shop/runtime";
import { limitCheckouts, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import type { RefusalCode } from "../../services/order-saga/types";
import { placeOrder } from "../../services/orders/place-order";
import { marketOf } from "../cart/cart-request";
import { json } from "../responses";

export const createOrderRoute = createRoute({
  method: "post",
  path: "/orders",
  tags: ["orders"],
  summary: "Place an order from the cart (Idempotency-Key required; Stripe semantics, kept 24 h)",
  description:
    "Reserves all lines or none (prices are snapshotted), prices the order as `POST /checkout/quote` does " +
    "(shipping method, promotion code, tax; the order's total is that breakdown's grand total), claims the " +
    "promotion's use, creates the payment for the grand total. " +
    "201 with the order and its payment status; 409 naming the lines without stock (`lines`); the same key with " +
    "the same body replays the first response (`idempotent-replayed: true`), with another body → 422, " +
    "while the first is still running → 409. 202 when a neighbour was slow: the order is still being placed.",
  security: [{ bearer: [] }],
  middleware: [requireUser, limitCheckouts] as const,
  request: {
    headers: z.object({ "idempotency-key": IdempotencyKey }),
    body: { required: true, content: { "application/json": { schema: PlaceOrderBody } } },
  },
  responses: {
    201: json(Order, "The order, accepted (awaiting payment or already paid)"),
    202: json(Order, "Still being placed; retry with the same key for the outcome"),
    ...problemResponses(400, 401, 415, 422, 429, 503),
    409: {
      description:
        "`insufficient_stock`: some lines cannot be held; `lines` gives each one's requested and available " +
        "units (nothing was reserved or charged). `price_changed`: priced again when stock was held, the total " +
        "is not `displayedTotal`; `breakdown` is the new pricing (nothing held or charged, ADR 0035). `conflict` " +
        "naming `promoCode`: the code ran out before this order could claim a use. " +
        "`idempotency_in_flight`: the first request with this key is still running.",
      content: {
        [PROBLEM_CONTENT_TYPE]: { schema: z.union([InsufficientStockProblem, PriceChangedProblem, Problem]) },
      },
    },
  },
});

/** The HTTP status of each reason an order was refused. */
const REFUSAL_STATUS: Record<RefusalCode, 409 | 422 | 503> = {
  insufficient_stock: 409,
  price_changed: 409,
  conflict: 409,
  unprocessable: 422,
  service_unavailable: 503,
};

export const createOrderHandler: RouteHandler<typeof createOrderRoute, OrdersEnv> = async (c) => {
  const result = await placeOrder(c.var.ctx, {
    idempotencyKey: c.req.valid("header")["idempotency-key"],
    body: c.req.valid("json"),
    origin: new URL(c.req.url).origin,
    market: marketOf(c),
  }).catch((err: unknown) => {
    throw idempotencyProblem(err) ?? err;
  });
  if (result.kind === "in_flight") {
    throw new AppError(
      409,
      "idempotency_in_flight",
      "A request with this Idempotency-Key is still being processed; retry shortly.",
      undefined,
      { "retry-after": "1" },
    );
  }
  if (result.kind === "empty_cart") {
    throw new AppError(422, "unprocessable", "The cart is empty.", [{ path: "cart", message: "has no lines" }]);
  }
  const requestId = c.get("requestId");
  const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": requestId };
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers }) as never;
  if (result.kind === "accepted") {
    headers.location = `/orders/${(result.order as { id: string }).id}`;
    return answer(202, result.order);
  }
  if (result.replayed) headers["idempotent-replayed"] = "true";
  const { creation } = result;
  if (creation.kind === "placed") {
    headers.location = `/orders/${creation.order.id}`;
    return answer(201, creation.order);
  }
  const status = REFUSAL_STATUS[creation.code];
  headers["content-type"] = PROBLEM_CONTENT_TYPE;
  const extensions = {
    ...(creation.lines ? { lines: creation.lines } : {}),
    ...(creation.breakdown ? { breakdown: creation.breakdown } : {}),
  };
  return answer(status, problemBody(status, creation.code, creation.detail, requestId, creation.errors, extensions));
};
