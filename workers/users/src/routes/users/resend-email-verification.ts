import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { EmailLinkSent } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { resendEmailVerification } from "../../services/verification/resend-email-verification";

export const resendEmailVerificationRoute = createRoute({
  method: "post",
  path: "/users/me/email/verify",
  tags: ["users"],
  summary: "Send a new verification link to your email address",
  description: "One link a minute, five an hour. Each link works once, for 24 hours.",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  responses: {
    202: { description: "A link is on its way", content: { "application/json": { schema: EmailLinkSent } } },
    ...problemResponses(401, 404, 409, 429),
  },
});

export const resendEmailVerificationHandler: RouteHandler<typeof resendEmailVerificationRoute, UsersEnv> = async (
  c,
) => {
  return c.json(await resendEmailVerification(c.var.ctx), 202);
};
