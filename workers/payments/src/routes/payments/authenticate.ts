import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { Problem } from "@shop/contracts";
import { badRequest } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { PaymentsEnv } from "../../env";
import { authenticatePayment, authenticationPage } from "../../services/payments/authenticate";

const problem = { "application/problem+json": { schema: Problem } };

const IntentParam = z.object({ intentId: z.string().regex(/^pi_sim_[A-Za-z0-9_-]{1,40}$/) });
const Secret = z.string().min(16).max(100);

/**
 * The link carries the payment's client secret: no cache may keep the page, and it is never
 * sent on as a referrer.
 */
const privatePage: MiddlewareHandler<PaymentsEnv> = async (c, next) => {
  await next();
  c.res.headers.set("cache-control", "no-store");
  c.res.headers.set("referrer-policy", "no-referrer");
};

export const authenticatePageRoute = createRoute({
  method: "get",
  path: "/payments/authenticate/{intentId}",
  tags: ["payments"],
  summary: "The simulated bank's 3-D Secure page (local and test configuration; the client secret is the capability)",
  middleware: [privatePage] as const,
  request: { params: IntentParam, query: z.object({ client_secret: Secret }) },
  responses: {
    200: {
      description: "A page with two buttons: complete or fail the authentication",
      content: { "text/html": { schema: z.string() } },
    },
    400: { description: "Malformed intent id or secret", content: problem },
    404: { description: "No such intent, or the secret does not match", content: problem },
  },
});

export const authenticateSubmitRoute = createRoute({
  method: "post",
  path: "/payments/authenticate/{intentId}",
  tags: ["payments"],
  summary: "The shopper's answer on the simulated bank's 3-D Secure page",
  middleware: [privatePage] as const,
  request: { params: IntentParam },
  responses: {
    303: { description: "Back to the shop (the payment's return URL)" },
    200: { description: "Done, when the payment has no return URL", content: { "text/html": { schema: z.string() } } },
    400: { description: "Missing result or secret", content: problem },
    404: { description: "No such intent, or the secret does not match", content: problem },
  },
});

/** A minimal page; hono's `html` template escapes every interpolated value. */
function page(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </head>
      <body>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

export const authenticatePageHandler: RouteHandler<typeof authenticatePageRoute, PaymentsEnv> = async (c) => {
  const { intentId } = c.req.valid("param");
  const secret = c.req.valid("query").client_secret;
  const state = await authenticationPage(c.var.ctx, { intentId, secret });
  const form = (result: "approve" | "fail", label: string) =>
    html`<form method="post" action="/payments/authenticate/${intentId}">
      <input type="hidden" name="client_secret" value="${secret}" />
      <input type="hidden" name="result" value="${result}" /><button type="submit">${label}</button>
    </form>`;
  const amount = `${(state.amount / 100).toFixed(2)} ${state.currency.toUpperCase()}`;
  const body =
    state.status === "requires_action"
      ? html`<p>Test bank: confirm the payment of <strong>${amount}</strong>.</p>
          ${form("approve", "Complete authentication")} ${form("fail", "Fail authentication")}`
      : html`<p>This payment is no longer waiting for authentication (${state.status}).</p>`;
  return c.html(page("Authenticate your payment", body), 200);
};

export const authenticateSubmitHandler: RouteHandler<typeof authenticateSubmitRoute, PaymentsEnv> = async (c) => {
  const { intentId } = c.req.valid("param");
  const form = await c.req.parseBody();
  const result = form.result;
  const secret = Secret.safeParse(form.client_secret);
  if ((result !== "approve" && result !== "fail") || !secret.success) {
    throw badRequest("Send result=approve or result=fail with the client_secret.", [
      { path: "result", message: "approve or fail" },
    ]);
  }
  const outcome = await authenticatePayment(c.var.ctx, { intentId, secret: secret.data, result });
  if (outcome.returnUrl) return c.redirect(outcome.returnUrl, 303);
  return c.html(page("Authentication finished", html`<p>You can close this page (${outcome.status}).</p>`), 200);
};
