import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import {
  IdempotencyKey,
  MAX_PAGE_SIZE,
  ReceiveReturnBody,
  RejectReturnBody,
  RequestReturnBody,
  Return,
  ReturnId,
  ReturnList,
  ReturnStatus,
} from "@shop/contracts";
import { idempotencyProblem, problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { actOnReturnFor, allReturns, orderReturns, requestReturnFor } from "../../services/returns/returns";
import { OrderParams } from "../orders/params";
import { json } from "../responses";

const ReturnParams = z.object({ id: ReturnId });

export const requestReturnRoute = createRoute({
  method: "post",
  path: "/orders/{id}/returns",
  tags: ["returns"],
  summary: "Ask to return units of a delivered order (owner only, within the return window; Idempotency-Key required)",
  description:
    "Lines name the order line by its index in `order.lines`. 409 `invalid_transition` when the order is not " +
    "delivered, `conflict` when the window after delivery has closed; 422 when a line asks for more units than " +
    "are left to return. The same key with the same body answers the same return (`idempotent-replayed: true`).",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: {
    params: OrderParams,
    headers: z.object({ "idempotency-key": IdempotencyKey }),
    body: { required: true, content: { "application/json": { schema: RequestReturnBody } } },
  },
  responses: { 201: json(Return, "The return, requested"), ...problemResponses(400, 401, 404, 409, 415, 422) },
});

export const requestReturnHandler: RouteHandler<typeof requestReturnRoute, OrdersEnv> = async (c) => {
  const result = await requestReturnFor(c.var.ctx, {
    orderId: c.req.valid("param").id,
    idempotencyKey: c.req.valid("header")["idempotency-key"],
    body: c.req.valid("json"),
  }).catch((err: unknown) => {
    throw idempotencyProblem(err) ?? err;
  });
  if (result.replayed) c.header("idempotent-replayed", "true");
  return c.json(result.value, 201);
};

export const listOrderReturnsRoute = createRoute({
  method: "get",
  path: "/orders/{id}/returns",
  tags: ["returns"],
  summary: "The order's returns (owner or admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { params: OrderParams },
  responses: { 200: json(ReturnList, "The order's returns, oldest first"), ...problemResponses(400, 401, 404) },
});

export const listOrderReturnsHandler: RouteHandler<typeof listOrderReturnsRoute, OrdersEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json({ items: await orderReturns(c.var.ctx, c.req.valid("param").id) }, 200);
};

const ListReturnsQuery = z
  .object({
    status: ReturnStatus.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  })
  .strict();

export const listReturnsRoute = createRoute({
  method: "get",
  path: "/returns",
  tags: ["returns"],
  summary: "Admin: returns by status, newest first",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { query: ListReturnsQuery },
  responses: { 200: json(ReturnList, "Returns"), ...problemResponses(400, 401, 403) },
});

export const listReturnsHandler: RouteHandler<typeof listReturnsRoute, OrdersEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json({ items: await allReturns(c.var.ctx, c.req.valid("query")) }, 200);
};

export const approveReturnRoute = createRoute({
  method: "post",
  path: "/returns/{id}/approve",
  tags: ["returns"],
  summary: "Admin: approve a requested return (a repeat answers it as it is)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: ReturnParams },
  responses: { 200: json(Return, "The approved return"), ...problemResponses(400, 401, 403, 404, 409) },
});

export const approveReturnHandler: RouteHandler<typeof approveReturnRoute, OrdersEnv> = async (c) =>
  c.json(await actOnReturnFor(c.var.ctx, c.req.valid("param").id, { kind: "approve" }), 200);

export const rejectReturnRoute = createRoute({
  method: "post",
  path: "/returns/{id}/reject",
  tags: ["returns"],
  summary: "Admin: reject a requested return, saying why",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ReturnParams,
    body: { required: true, content: { "application/json": { schema: RejectReturnBody } } },
  },
  responses: { 200: json(Return, "The rejected return"), ...problemResponses(400, 401, 403, 404, 409, 415) },
});

export const rejectReturnHandler: RouteHandler<typeof rejectReturnRoute, OrdersEnv> = async (c) =>
  c.json(
    await actOnReturnFor(c.var.ctx, c.req.valid("param").id, { kind: "reject", reason: c.req.valid("json").reason }),
    200,
  );

export const receiveReturnRoute = createRoute({
  method: "post",
  path: "/returns/{id}/receive",
  tags: ["returns"],
  summary:
    "Admin: the returned units arrived — restock them and refund their share (status refunded once the refund settles)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: ReturnParams,
    body: { required: false, content: { "application/json": { schema: ReceiveReturnBody } } },
  },
  responses: {
    200: json(Return, "The received (or already refunded) return"),
    ...problemResponses(400, 401, 403, 404, 409, 415),
  },
});

export const receiveReturnHandler: RouteHandler<typeof receiveReturnRoute, OrdersEnv> = async (c) => {
  const body = c.req.valid("json") as ReceiveReturnBody | undefined;
  return c.json(
    await actOnReturnFor(c.var.ctx, c.req.valid("param").id, {
      kind: "receive",
      refundShipping: body?.refundShipping ?? false,
    }),
    200,
  );
};
