import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AddressList } from "@shop/contracts/addresses";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { listAddresses } from "../../services/addresses/list-addresses";

export const listAddressesRoute = createRoute({
  method: "get",
  path: "/users/me/addresses",
  tags: ["users"],
  summary: "Your saved addresses, the default shipping address first",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  responses: {
    200: { description: "Your address book", content: { "application/json": { schema: AddressList } } },
    ...problemResponses(401),
  },
});

export const listAddressesHandler: RouteHandler<typeof listAddressesRoute, UsersEnv> = async (c) => {
  return c.json(await listAddresses(c.var.ctx), 200);
};
