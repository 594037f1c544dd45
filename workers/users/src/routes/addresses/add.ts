import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { IdempotencyKey } from "@shop/contracts";
import { Address, AddressBody, MAX_ADDRESSES } from "@shop/contracts/addresses";
import { idempotencyProblem, problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { addAddress } from "../../services/addresses/add-address";

export const addAddressRoute = createRoute({
  method: "post",
  path: "/users/me/addresses",
  tags: ["users"],
  summary: "Save an address (optional Idempotency-Key: a retry answers the same address)",
  description:
    "The postal code must fit the country's pattern and US/CA addresses need a state or province code " +
    "(`region`); 400 names the field. `isDefaultShipping: true` makes it the one default. " +
    `At most ${MAX_ADDRESSES} addresses (409). With an Idempotency-Key (kept 24 h) the same key and body ` +
    "answer the address first saved (`idempotent-replayed: true`); another body → 422.",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: {
    headers: z.object({ "idempotency-key": IdempotencyKey.optional() }),
    body: { required: true, content: { "application/json": { schema: AddressBody } } },
  },
  responses: {
    201: { description: "The saved address", content: { "application/json": { schema: Address } } },
    ...problemResponses(400, 401, 409, 413, 415, 422),
  },
});

export const addAddressHandler: RouteHandler<typeof addAddressRoute, UsersEnv> = async (c) => {
  const { address, replayed } = await addAddress(
    c.var.ctx,
    c.req.valid("json"),
    c.req.valid("header")["idempotency-key"],
  ).catch((err: unknown) => {
    throw idempotencyProblem(err) ?? err;
  });
  if (replayed) c.header("idempotent-replayed", "true");
  return c.json(address, 201);
};
