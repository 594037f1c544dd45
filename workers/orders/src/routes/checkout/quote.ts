import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { CheckoutQuote, CheckoutQuoteBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { limitCartWrites, optionalUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { quoteCheckout } from "../../services/checkout/quote-checkout";
import { cartTokenOf, marketOf } from "../cart/cart-request";
import { json, optionalBearer } from "../responses";

export const quoteCheckoutRoute = createRoute({
  method: "post",
  path: "/checkout/quote",
  tags: ["checkout"],
  summary:
    "Price the caller's cart for an address: lines with discounts, shipping options, tax and the total (read-only)",
  description:
    "Same caller as the cart (a signed-in user, or a guest by x-cart-id). An unknown or expired code is a 422 and a used-up one a 409, both naming promoCode; an address outside every shipping zone is a 422 naming address.country. Rate-limited like cart writes, so codes cannot be guessed in bulk.",
  security: optionalBearer,
  middleware: [optionalUser, limitCartWrites] as const,
  request: {
    headers: z.object({ "x-cart-id": z.string().optional().meta({ description: "A guest cart token" }) }),
    body: { required: true, content: { "application/json": { schema: CheckoutQuoteBody } } },
  },
  responses: {
    200: json(CheckoutQuote, "The breakdown and the shipping options"),
    ...problemResponses(400, 401, 409, 415, 422, 429, 503),
  },
});

export const quoteCheckoutHandler: RouteHandler<typeof quoteCheckoutRoute, OrdersEnv> = async (c) => {
  const body = c.req.valid("json");
  const quote = await quoteCheckout(c.var.ctx, {
    cartToken: cartTokenOf(c),
    market: marketOf(c),
    address: body.address,
    shippingMethodId: body.shippingMethodId,
    promoCode: body.promoCode,
  });
  c.header("cache-control", "no-store");
  return c.json(quote, 200);
};
