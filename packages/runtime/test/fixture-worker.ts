import { DurableObject } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
// Aliased to the armed harness in this suite (vitest.config.ts), as in the battery's builds.
import { injectFault } from "@shop/runtime/harness";
import { drizzle } from "drizzle-orm/durable-sqlite";
import type { MiddlewareHandler } from "hono";
import { createApp } from "../src/app";
import {
  Conflict,
  Forbidden,
  InsufficientStock,
  Invalid,
  NotFound,
  PreconditionFailed,
  RateLimited,
  Unauthenticated,
  Unavailable,
  Unprocessable,
} from "../src/domain-errors";
import { AppError, badRequest, unauthorized } from "../src/errors";
import { answersCallersDifferently } from "../src/http-rules";
import { log } from "../src/log";
import { DurableOutbox, outboxTable, outboxTableSql } from "../src/outbox";
import { callerOf, type ServiceContext, type ServiceEnv } from "../src/service-context";

type Bindings = { DB: D1Database; OUTBOX_OBJECT: DurableObjectNamespace<OutboxObject> };
type Env = ServiceEnv<Bindings, { d1: D1Database }>;

/** A worker built with the shared factory, exercising what every service gets from it. */
export const app = createApp<Env>("fixture", {
  openapi: { title: "Fixture", description: "A test worker." },
  serviceContext: (env) => ({ d1: env.DB }),
  // A raw upload of up to 2 MB (the JSON body limit is 1 MB).
  uploads: [{ method: "PUT", path: /^\/upload$/, maxBytes: 2 * 1024 * 1024 }],
});
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
app.put("/upload", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
app.post("/upload", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));

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
// Each domain error a service may throw, by name, for the one mapping in createApp's error handler.
const DOMAIN_ERRORS: Record<string, () => Error> = {
  NotFound: () => new NotFound("The thing"),
  NotFoundNamed: () =>
    new NotFound("prd_x", {
      detail: "prd_x is not in the cart.",
      errors: [{ path: "productId", message: "is not in the cart" }],
    }),
  Unprocessable: () =>
    new Unprocessable("A cart holds at most 50 different products.", [
      { path: "productId", message: "would be line 51" },
    ]),
  Conflict: () => new Conflict("conflict", "The SKU is taken.", [{ path: "sku", message: "is already in use" }]),
  ConflictTransition: () => new Conflict("invalid_transition", "Already shipped."),
  Invalid: () =>
    new Invalid(
      [
        { path: "q", message: "must contain a letter" },
        { path: "cursor", message: "is not a cursor" },
        { path: "q", message: "is too long" },
      ],
      "query",
    ),
  InvalidRefusal: () =>
    new Invalid([{ path: "code", message: "is not the code we sent" }], "request", {
      code: "bad_request",
      detail: "That code is not the one we sent.",
    }),
  Forbidden: () => new Forbidden(),
  Unauthenticated: () => new Unauthenticated(),
  PreconditionFailed: () => new PreconditionFailed("It changed; it is now at version 3."),
  InsufficientStock: () =>
    new InsufficientStock([{ productId: "prd_x", requested: 3, available: 1, reason: "insufficient_stock" }]),
  Unavailable: () => new Unavailable("The catalog is unavailable.", 7),
  RateLimited: () => new RateLimited("At most 10 per minute.", 42),
};
app.get("/domain/:name", (c) => {
  const make = DOMAIN_ERRORS[c.req.param("name")];
  throw make ? make() : new Error("no such domain error");
});
/** What a service verb would see: the request's ids, its clock, the caller and the db. */
function describeContext(ctx: ServiceContext<{ d1: D1Database }, Bindings>) {
  return {
    requestId: ctx.meta.requestId,
    traceparent: ctx.meta.traceparent,
    now: ctx.meta.now,
    principal: ctx.principal,
    dbIsWorkersD1: ctx.db.d1 === ctx.env.DB,
  };
}
app.get("/ctx", (c) => c.json(describeContext(c.var.ctx)));
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
app.get("/mine/ctx", identify(true), (c) => c.json(describeContext(c.var.ctx)));
/** A verb that acts for its caller: anonymous contexts are refused with a 401. */
app.get("/ctx/caller", identify(false), (c) => c.json({ userId: callerOf(c.var.ctx).userId }));
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

/**
 * A Durable Object with the outbox in its own SQLite, as an object's schema includes it: a change
 * (`things`) and its message are written in one `transactionSync`; the alarm drains.
 */
export class OutboxObject extends DurableObject<Env["Bindings"]> {
  readonly db = drizzle(this.ctx.storage);
  readonly outbox = new DurableOutbox(this.db, outboxTable(), {
    worker: "fixture",
    graceMs: 0,
    retry: { baseMs: 1000, maxMs: 60_000 },
  });
  /** Where `alarm()` sends (tests put a recording or refusing stand-in here). */
  queue: Queue | null = null;

  constructor(ctx: DurableObjectState, env: Env["Bindings"]) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(`${outboxTableSql()}
        CREATE TABLE IF NOT EXISTS things (name TEXT PRIMARY KEY);`);
    });
  }

  /** Adds a thing and the message announcing it; `fail` aborts the transaction after both writes. */
  change(name: string, now: number, fail = false): void {
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.sql.exec("INSERT INTO things (name) VALUES (?)", name);
      const message = { id: `msg_${name}`, type: "thing.added", name };
      this.outbox.enqueue(message, now);
      if (fail) throw new Error("the change failed");
    });
  }

  things(): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>("SELECT name FROM things ORDER BY name")
      .toArray()
      .map((r) => r.name);
  }

  override async alarm(): Promise<void> {
    if (this.queue) await this.outbox.drain(this.queue);
    await this.outbox.scheduleAlarm(this.ctx.storage);
  }
}

/** A Durable Object for the harness's geography tests (a far namespace delays its stub calls). */
export class Echo extends DurableObject {
  echo(value: string): string {
    return value;
  }
}

// Workers require a default export; it is the fixture's fetch handler.
export default app;
