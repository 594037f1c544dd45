import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AddressIdParams } from "@shop/contracts/addresses";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { deleteAddress } from "../../services/addresses/delete-address";

export const deleteAddressRoute = createRoute({
  method: "delete",
  path: "/users/me/addresses/{id}",
  tags: ["users"],
  summary: "Delete a saved address (unknown, already deleted or another user's → 404)",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { params: AddressIdParams },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(400, 401, 404),
  },
});

export const deleteAddressHandler: RouteHandler<typeof deleteAddressRoute, UsersEnv> = async (c) => {
  await deleteAddress(c.var.ctx, c.req.valid("param").id);
  return c.body(null, 204);
};
