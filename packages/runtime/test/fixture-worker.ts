import { z } from "@hono/zod-openapi";
import { createApp } from "../src/app";
import { AppError, badRequest } from "../src/errors";
import { injectFault } from "../src/faults";

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

// Workers require a default export; it is the fixture's fetch handler.
export default app;
