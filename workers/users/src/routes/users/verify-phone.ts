import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { PhoneCodeSent } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { sendPhoneCode } from "../../services/verification/send-phone-code";

export const verifyPhoneRoute = createRoute({
  method: "post",
  path: "/users/me/phone/verify",
  tags: ["users"],
  summary: "Send a 6-digit code by SMS to your phone number",
  description: "The code is valid 10 minutes and 5 attempts. One code a minute, five an hour.",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  responses: {
    202: { description: "A code is on its way", content: { "application/json": { schema: PhoneCodeSent } } },
    ...problemResponses(401, 404, 409, 429),
  },
});

export const verifyPhoneHandler: RouteHandler<typeof verifyPhoneRoute, UsersEnv> = async (c) => {
  return c.json(await sendPhoneCode(c.var.ctx), 202);
};
