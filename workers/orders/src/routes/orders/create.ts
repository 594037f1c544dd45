import { createRoute, z } from "@hono/zod-openapi";
import {
  IdempotencyKey,
  InsufficientStockProblem,
  Order,
  PlaceOrderBody,
  PROBLEM_CONTENT_TYPE,
  Problem,
} from "@shop/contracts";
import { callMeta, idempotencyProblem, principalOf, problemResponses } from "@shop/runtime";
import type { OrdersApp } from "../../app";
import { placeOrder } from "../../services/orders/place-order";
import { json } from "../responses";

const createOrderRoute = createRoute({
  method: "post",
  path: "/orders",
  tags: ["orders"],
  summary: "Place an order from the cart (Idempotency-Key required; Stripe semantics, kept 24 h)",
  description:
    "Quotes the cart (prices are snapshotted), reserves all lines or none, creates the payment. " +
    "201 with the order and its payment status; 409 naming the lines without stock (`lines`); the same key with " +
    "the same body replays the first response (`idempotent-replayed: true`), with another body → 422, " +
    "while the first is still running → 409. 202 when a neighbour was slow: the order is still being placed.",
  security: [{ bearer: [] }],
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
        "units (nothing was reserved or charged). `idempotency_in_flight`: the first request with this key is still running.",
      content: { [PROBLEM_CONTENT_TYPE]: { schema: z.union([InsufficientStockProblem, Problem]) } },
    },
  },
});

export function registerCreateOrder(app: OrdersApp) {
  app.openapi(createOrderRoute, async (c) => {
    const principal = principalOf(c);
    const key = c.req.valid("header")["idempotency-key"];
    const result = await placeOrder(
      c.env,
      principal,
      key,
      c.req.valid("json"),
      callMeta(c),
      new URL(c.req.url).origin,
    ).catch((err: unknown) => {
      throw idempotencyProblem(err) ?? err;
    });
    const headers: Record<string, string> = {
      "content-type": result.contentType ?? "application/json",
      "x-request-id": c.get("requestId"),
    };
    if (result.replayed) headers["idempotent-replayed"] = "true";
    const id = (result.body as { id?: string }).id;
    if (result.status < 300 && id) headers.location = `/orders/${id}`;
    const body = result.status >= 400 ? { ...(result.body as object), requestId: c.get("requestId") } : result.body;
    return new Response(JSON.stringify(body), { status: result.status, headers }) as never;
  });
}
