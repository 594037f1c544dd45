import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Address, AddressIdParams, AddressPatch } from "@shop/contracts/addresses";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { editAddress } from "../../services/addresses/edit-address";

export const editAddressRoute = createRoute({
  method: "patch",
  path: "/users/me/addresses/{id}",
  tags: ["users"],
  summary: "Change a saved address, or make it (or stop it being) the default shipping address",
  description:
    "Sets the fields sent (absolute values: a retry is harmless; `null` clears an optional one). The result " +
    "is checked for its country (400 names `postalCode` or `region`). Another user's address → 404.",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: {
    params: AddressIdParams,
    body: { required: true, content: { "application/json": { schema: AddressPatch } } },
  },
  responses: {
    200: { description: "The address as changed", content: { "application/json": { schema: Address } } },
    ...problemResponses(400, 401, 404, 413, 415),
  },
});

export const editAddressHandler: RouteHandler<typeof editAddressRoute, UsersEnv> = async (c) => {
  return c.json(await editAddress(c.var.ctx, c.req.valid("param").id, c.req.valid("json")), 200);
};
