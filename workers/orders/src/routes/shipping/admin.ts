import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import {
  PutShippingMethodBody,
  PutShippingZoneBody,
  ShippingMethodRecord,
  ShippingSetup,
  ShippingSlug,
  ShippingZoneRecord,
} from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import {
  deleteShippingMethod,
  deleteShippingZone,
  listShipping,
  putShippingMethod,
  putShippingZone,
} from "../../services/shipping/shipping-store";
import { json } from "../responses";

const SlugParams = z.object({ id: ShippingSlug });

export const listShippingRoute = createRoute({
  tags: ["shipping"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "get",
  path: "/shipping",
  summary: "Admin: shipping zones (sets of countries) and their methods",
  responses: { 200: json(ShippingSetup, "Zones and methods"), ...problemResponses(401, 403) },
});
export const listShippingHandler: RouteHandler<typeof listShippingRoute, OrdersEnv> = async (c) =>
  c.json(await listShipping(c.var.ctx.db), 200);

export const putShippingZoneRoute = createRoute({
  tags: ["shipping"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "put",
  path: "/shipping/zones/{id}",
  summary: "Admin: create or replace a zone; a country belongs to one zone at most",
  request: {
    params: SlugParams,
    body: { required: true, content: { "application/json": { schema: PutShippingZoneBody } } },
  },
  responses: { 200: json(ShippingZoneRecord, "The zone"), ...problemResponses(400, 401, 403, 409, 415) },
});
export const putShippingZoneHandler: RouteHandler<typeof putShippingZoneRoute, OrdersEnv> = async (c) =>
  c.json(await putShippingZone(c.var.ctx.db, c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteShippingZoneRoute = createRoute({
  tags: ["shipping"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "delete",
  path: "/shipping/zones/{id}",
  summary: "Admin: delete a zone that has no methods",
  request: { params: SlugParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 403, 404, 409) },
});
export const deleteShippingZoneHandler: RouteHandler<typeof deleteShippingZoneRoute, OrdersEnv> = async (c) => {
  await deleteShippingZone(c.var.ctx.db, c.req.valid("param").id);
  return c.body(null, 204);
};

export const putShippingMethodRoute = createRoute({
  tags: ["shipping"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "put",
  path: "/shipping/methods/{id}",
  summary: "Admin: create or replace a method of a zone (flat, free above a subtotal, or by weight)",
  request: {
    params: SlugParams,
    body: { required: true, content: { "application/json": { schema: PutShippingMethodBody } } },
  },
  responses: { 200: json(ShippingMethodRecord, "The method"), ...problemResponses(400, 401, 403, 415, 422) },
});
export const putShippingMethodHandler: RouteHandler<typeof putShippingMethodRoute, OrdersEnv> = async (c) =>
  c.json(await putShippingMethod(c.var.ctx.db, c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteShippingMethodRoute = createRoute({
  tags: ["shipping"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "delete",
  path: "/shipping/methods/{id}",
  summary: "Admin: delete a method (or PUT it with active: false to keep it)",
  request: { params: SlugParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(400, 401, 403, 404) },
});
export const deleteShippingMethodHandler: RouteHandler<typeof deleteShippingMethodRoute, OrdersEnv> = async (c) => {
  await deleteShippingMethod(c.var.ctx.db, c.req.valid("param").id);
  return c.body(null, 204);
};
