import { DurableObject } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
// Aliased to the armed harness in this suite (vitest.config.ts), as in the battery's builds.
import { injectFault } from "@shop/runtime/harness";
import type { MiddlewareHandler } from "hono";
import { createApp } from "../src/app";
import { AppError, badRequest, unauthorized } from "../src/errors";
import { answersCallersDifferently } from "../src/http-rules";
import { log } from "../src/log";

type Env = { Bindings: { DB: D1Database }; Variables: object };

/** A worker built with the shared factory, exercising what every service gets from it. */
export const app = createApp<Env>("fixture", { openapi: { title: "Fixture", description: "A test worker." } });
const Body = z.object({ name: z.string().max(5), qty: z.int().min(1).max(99) }).strict();

app.post("/things", async (c) => {
  const parsed = Body.safeParse(await c.req.json());
  if (!parsed.success) throw badRequest("bad thing");
  return c.json(parsed.data, 201);
});
app.openapi(
  {
    method: "post",
    path: "/validated",
    request: { body: { content: { "application/json": { schema: Body } }, required: true } },
    responses: { 201: { description: "created" } },
  },
  (c) => c.json(c.req.valid("json"), 201),
);
app.get("/trips", async (c) => {
  await c.env.DB.prepare("select 1").first();
  await c.env.DB.batch([c.env.DB.prepare("select 1"), c.env.DB.prepare("select ?").bind(2)]);
  return c.json({ ok: true });
});
app.get("/step", async (c) => {
  await injectFault(c.env, "fixture.step");
  return c.json({ ok: true });
});
app.get("/short", () => {
  throw new AppError(409, "insufficient_stock", "Not enough", undefined, undefined, {
    lines: [{ productId: "prd_x", requested: 3, available: 1 }],
    code: "overridden?",
  });
});
app.get("/boom", () => {
  throw new Error("secret internals");
});

// HTTP rules: documented routes with `{id}`, middleware for some methods only, auth shapes.
const passOn: MiddlewareHandler = async (_c, next) => next();
app.use("/items/*", passOn);
app.on(["POST", "PATCH"], ["/items", "/items/*"], passOn);
app.openapi(
  {
    method: "get",
    path: "/items/{id}",
    request: { params: z.object({ id: z.string().max(20) }) },
    responses: { 200: { description: "an item" } },
  },
  (c) => c.json({ id: c.req.valid("param").id }),
);
app.delete("/items/:id", (c) => c.body(null, 204));
/** Stands in for a bearer check: `Bearer good` is the one valid token. */
const identify =
  (required: boolean): MiddlewareHandler =>
  async (c, next) => {
    if (!required) answersCallersDifferently(c);
    const header = c.req.header("authorization");
    if (header === "Bearer good") c.set("principal" as never, { userId: "usr_1", role: "customer" } as never);
    else if (header || required) throw unauthorized();
    return next();
  };
app.get("/mine", identify(true), (c) => c.json({ mine: true }));
app.get("/maybe-mine", identify(false), (c) =>
  c.json({ mine: c.get("principal" as never) !== undefined }, 200, { "cache-control": "public, max-age=60" }),
);
app.get("/public", (c) => c.json({ public: true }, 200, { "cache-control": "public, max-age=60" }));
app.get("/plain", (c) => c.json({ plain: true }));
app.post("/session", (c) => c.json({ ok: true }, 200, { "set-cookie": "shop_refresh=abc; HttpOnly" }));
app.get("/noted", (c) => {
  log("warn", { worker: "fixture", msg: "noted inside a request" });
  return c.json({ ok: true });
});

/** A Durable Object for the harness's geography tests (a far namespace delays its stub calls). */
export class Echo extends DurableObject {
  echo(value: string): string {
    return value;
  }
}

// Workers require a default export; it is the fixture's fetch handler.
export default app;
