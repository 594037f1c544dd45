import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ContactVerified, PhoneConfirmBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { confirmPhoneCode } from "../../services/verification/confirm-phone-code";

export const confirmPhoneRoute = createRoute({
  method: "post",
  path: "/users/me/phone/confirm",
  tags: ["users"],
  summary: "Confirm your phone number with the code we sent",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { body: { required: true, content: { "application/json": { schema: PhoneConfirmBody } } } },
  responses: {
    200: { description: "The phone is verified", content: { "application/json": { schema: ContactVerified } } },
    ...problemResponses(400, 401, 409, 413, 415),
  },
});

export const confirmPhoneHandler: RouteHandler<typeof confirmPhoneRoute, UsersEnv> = async (c) => {
  await confirmPhoneCode(c.var.ctx, c.req.valid("json"));
  return c.json({ status: "verified" as const }, 200);
};
