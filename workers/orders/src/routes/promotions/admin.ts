import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { CreatePromotionBody, PromotionId, PromotionList, PromotionRecord, UpdatePromotionBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import {
  createPromotion,
  getPromotion,
  listPromotions,
  updatePromotion,
} from "../../services/promotions/promotion-store";
import { json } from "../responses";

const PromotionParams = z.object({ id: PromotionId });

export const listPromotionsRoute = createRoute({
  tags: ["promotions"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "get",
  path: "/promotions",
  summary: "Admin: every promotion (newest first) with its claimed uses",
  responses: { 200: json(PromotionList, "The promotions"), ...problemResponses(401, 403) },
});
export const listPromotionsHandler: RouteHandler<typeof listPromotionsRoute, OrdersEnv> = async (c) =>
  c.json({ items: await listPromotions(c.var.ctx.db) }, 200);

export const createPromotionRoute = createRoute({
  tags: ["promotions"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "post",
  path: "/promotions",
  summary: "Admin: create a code or an automatic promotion (stacking rule: ADR 0033)",
  request: { body: { required: true, content: { "application/json": { schema: CreatePromotionBody } } } },
  responses: { 201: json(PromotionRecord, "The promotion"), ...problemResponses(400, 401, 403, 409, 415) },
});
export const createPromotionHandler: RouteHandler<typeof createPromotionRoute, OrdersEnv> = async (c) =>
  c.json(await createPromotion(c.var.ctx.db, c.req.valid("json")), 201);

export const getPromotionRoute = createRoute({
  tags: ["promotions"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "get",
  path: "/promotions/{id}",
  summary: "Admin: one promotion",
  request: { params: PromotionParams },
  responses: { 200: json(PromotionRecord, "The promotion"), ...problemResponses(400, 401, 403, 404) },
});
export const getPromotionHandler: RouteHandler<typeof getPromotionRoute, OrdersEnv> = async (c) =>
  c.json(await getPromotion(c.var.ctx.db, c.req.valid("param").id), 200);

export const updatePromotionRoute = createRoute({
  tags: ["promotions"],
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  method: "patch",
  path: "/promotions/{id}",
  summary: "Admin: change a promotion (active: false disables it; the code cannot change)",
  request: {
    params: PromotionParams,
    body: { required: true, content: { "application/json": { schema: UpdatePromotionBody } } },
  },
  responses: { 200: json(PromotionRecord, "The promotion"), ...problemResponses(400, 401, 403, 404, 409, 415) },
});
export const updatePromotionHandler: RouteHandler<typeof updatePromotionRoute, OrdersEnv> = async (c) =>
  c.json(await updatePromotion(c.var.ctx.db, c.req.valid("param").id, c.req.valid("json")), 200);
