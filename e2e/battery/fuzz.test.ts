import { defaultVariantId } from "@shop/contracts";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkResponse, excerpt, type Finding, isValidRequest } from "../support/fuzz/check";
import { type Op, type OpenApiDoc, operationsOf, validators } from "../support/fuzz/openapi";
import { type FuzzRequest, oversized, requestArb, type Who } from "../support/fuzz/requests";
import { hash32, pool, send } from "../support/fuzz/run";
import type { GenContext } from "../support/fuzz/schema-arbitrary";
import { baseUrl, call, login, registerAndLogin } from "../support/http";
import { addToCart, admin, createProduct, placeOrder, record, settle } from "../support/shop";

// Battery item 2.7 — API fuzz. For every operation in the gateway's merged OpenAPI document:
// at least 100 generated requests (valid ones from the documented schemas, and ones that
// break a parameter, the body's schema, its syntax or its content type), as nobody, a
// customer, an admin, or with a forged token. Asserts: no 5xx; every status is documented
// for the operation (or in the short generic list in support/fuzz/check.ts); every body
// matches the documented schema for its status; nothing the document rejects is accepted;
// nothing that needs a token is served without one. Replay a run with FUZZ_SEED=<seed>: the
// same seed gives the same requests (ids drawn from this run's own products/orders aside).
// Requests are drawn with fc.sample rather than fc.assert: the system is stateful, so
// shrinking would replay against a different state; each finding prints its exact request.
// FUZZ_RUNS (default 110 per operation) and FUZZ_CONCURRENCY (default 8) tune the run.

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 110);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);

/** Operations that change the caller's own account: never sent with the seeded admin's token. */
const SELF_MUTATING = new Set(["PATCH /users/me", "PUT /notifications/preferences"]);
/**
 * Documented 503s that are a property of how the local system is configured, not a failure:
 * the battery runs the simulated payment provider without a webhook signing secret, so the
 * Stripe webhook answers "not configured" to everything that gets past parsing. Counted apart
 * (`unconfigured`); give the battery system STRIPE_WEBHOOK_SECRET and this excuses nothing.
 */
const UNCONFIGURED: Record<string, string> = { "POST /payments/webhook": "Stripe webhooks are not configured." };
/**
 * Admin writes on a product or what hangs off it (inventory, images, options, variants): aimed
 * at products this run created for the purpose, never the seeded catalog nor the products the
 * fuzz buys (giving those options would take their default variant's place in later orders).
 */
const writesProduct = (op: Op) => op.method !== "GET" && op.path.startsWith("/products/{id}");

type Fixtures = {
  tokens: Record<"customer" | "admin", string>;
  users: { customer: string; customer2: string; sacrificial: string };
  sacrificial: { email: string; password: string };
  /**
   * Whose refresh tokens POST /users/refresh and /users/logout get: an account of its own, as
   * the login fuzz's wrong passwords for `sacrificial` slow its sign-ins down (429, by design).
   */
  sessions: { email: string; password: string };
  shopProducts: string[];
  targetProducts: string[];
  categories: string[];
  orders: string[];
  payments: string[];
  guestCart?: string;
  /** Orders/payments in the state the next operation needs (a paid order to ship, …), preferred by the pools. */
  focus: { orders: string[]; payments: string[] };
  /** If-Match values that are current for the target products. */
  versions: string[];
};

/**
 * The shop-wide settings admin routes change (markets, promotions, shipping), as the fuzz found
 * them: the battery's other rows share this system, and an automatic promotion or a market made
 * up by the fuzz would change what they are charged. Put back when the fuzz is done.
 */
type ShopSettings = {
  markets: { code: string; name: string; countries: string[] }[];
  promotions: string[];
  zones: { id: string; name: string; countries: string[] }[];
  methods: { id: string; zoneId: string; name: string; rate: unknown; active: boolean; position: number }[];
};

async function shopSettings(admin: string): Promise<ShopSettings> {
  const [markets, promotions, shipping] = await Promise.all([
    call("GET", "/markets"),
    call("GET", "/promotions", { token: admin }),
    call("GET", "/shipping", { token: admin }),
  ]);
  for (const r of [markets, promotions, shipping]) expect(r.status).toBe(200);
  return {
    markets: markets.body.items,
    promotions: promotions.body.items.map((p: { id: string }) => p.id),
    zones: shipping.body.zones,
    methods: shipping.body.methods,
  };
}

async function restoreShopSettings(admin: string, was: ShopSettings): Promise<void> {
  const now = await shopSettings(admin);
  const ok = (r: { status: number; body: unknown }, what: string) =>
    expect([200, 204], `${what}: ${JSON.stringify(r.body)}`).toContain(r.status);
  const token = { token: admin };
  // New markets keep their code (there is no delete) but give up every country first, so the
  // old markets can take theirs back; new promotions stop applying.
  for (const m of now.markets.filter((m) => !was.markets.some((w) => w.code === m.code)))
    ok(await call("PATCH", `/markets/${m.code}`, { ...token, body: { countries: [] } }), `market ${m.code}`);
  for (const m of was.markets)
    ok(await call("PATCH", `/markets/${m.code}`, { ...token, body: { name: m.name, countries: m.countries } }), m.code);
  for (const id of now.promotions.filter((id) => !was.promotions.includes(id)))
    ok(await call("PATCH", `/promotions/${id}`, { ...token, body: { active: false } }), `promotion ${id}`);
  for (const m of now.methods.filter((m) => !was.methods.some((w) => w.id === m.id)))
    ok(await call("DELETE", `/shipping/methods/${m.id}`, token), `method ${m.id}`);
  for (const z of now.zones.filter((z) => !was.zones.some((w) => w.id === z.id)))
    ok(await call("DELETE", `/shipping/zones/${z.id}`, token), `zone ${z.id}`);
  for (const { id, name, countries } of was.zones)
    ok(await call("PUT", `/shipping/zones/${id}`, { ...token, body: { name, countries } }), `zone ${id}`);
  for (const { id, zoneId, name, rate, active, position } of was.methods)
    ok(
      await call("PUT", `/shipping/methods/${id}`, { ...token, body: { zoneId, name, rate, active, position } }),
      `method ${id}`,
    );
}

describe("api fuzz", () => {
  let doc: OpenApiDoc;
  let ops: Op[];
  let fx: Fixtures;
  let settings: ShopSettings | undefined;

  afterAll(async () => {
    if (settings) await restoreShopSettings(fx.tokens.admin, settings);
  });

  beforeAll(async () => {
    const [customer, customer2, sacrificial, sessions, adminToken] = await Promise.all([
      registerAndLogin("fuzz-customer", { phone: "+14155550142" }),
      registerAndLogin("fuzz-customer2"),
      registerAndLogin("fuzz-sacrificial"),
      registerAndLogin("fuzz-sessions"),
      admin(),
    ]);
    const shopProducts: string[] = [];
    for (let i = 0; i < 2; i++) shopProducts.push((await createProduct(100_000)).id);
    const targetProducts: string[] = [];
    for (let i = 0; i < 4; i++) targetProducts.push((await createProduct(50)).id);
    const orders: string[] = [];
    for (const [i, pm] of ["pm_card_visa", "pm_card_visa", "pm_card_chargeDeclined"].entries()) {
      await addToCart(customer.accessToken, shopProducts[i % 2] as string, 1);
      const placed = await placeOrder(customer.accessToken, `fuzz-fixture-${SEED}-${i}`, pm);
      expect([201, 202]).toContain(placed.status);
      orders.push(placed.body.id);
      await settle(customer.accessToken, placed.body.id);
    }
    const categories = (await call("GET", "/categories")).body.items.map((c: { id: string }) => c.id);
    // A guest cart exists from its first item on (a read creates nothing); its token comes back in x-cart-id.
    const guest = await call("POST", "/cart/items", { body: { productId: shopProducts[0], quantity: 1 } });
    expect(guest.status, JSON.stringify(guest.body)).toBe(200);
    expect(guest.headers.get("x-cart-id")).toMatch(/^crt_[^.]+\.[^.]+$/);
    fx = {
      tokens: { customer: customer.accessToken, admin: adminToken },
      users: { customer: customer.user.id, customer2: customer2.user.id, sacrificial: sacrificial.user.id },
      sacrificial: { email: sacrificial.email, password: sacrificial.password },
      sessions: { email: sessions.email, password: sessions.password },
      shopProducts,
      targetProducts,
      categories,
      orders,
      payments: [],
      guestCart: guest.headers.get("x-cart-id") ?? undefined,
      focus: { orders: [], payments: [] },
      versions: [],
    };
    settings = await shopSettings(adminToken);
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    doc = res.body;
    ops = operationsOf(doc);
  });

  it("the oracle flags what it must (a 5xx, an undocumented status, a body off its schema, an accepted invalid request)", () => {
    const v = validators(doc);
    const op = ops.find((o) => o.id === "POST /cart/items");
    expect(op, "POST /cart/items is documented").toBeDefined();
    if (!op) return;
    const req: FuzzRequest = {
      op: op.id,
      intent: "self-check",
      who: "customer",
      pathParams: {},
      query: [],
      headers: {},
      body: { text: "{}", contentType: "application/json" },
    };
    const sent = (status: number, text: string, contentType = "application/json") => ({
      req,
      url: "/cart/items",
      headers: {},
      status,
      contentType,
      text,
    });
    const kinds = (status: number, text: string, valid = true, contentType?: string) =>
      checkResponse(op, sent(status, text, contentType), valid, v).map((f) => f.kind);
    const problem = (status: number) => JSON.stringify({ type: "about:blank", title: "x", status, code: "conflict" });
    expect(isValidRequest(op, req, v), "an empty body is not a valid AddCartItemBody").toBe(false);
    expect(kinds(500, problem(500), true, "application/problem+json")).toContain("5xx");
    expect(kinds(418, problem(418), true, "application/problem+json")).toContain("undocumented");
    expect(
      kinds(409, JSON.stringify({ title: "no type, status or code" }), true, "application/problem+json"),
    ).toContain("schema");
    expect(kinds(409, problem(410), true, "application/problem+json")).toContain("schema");
    expect(kinds(200, JSON.stringify({ cartId: 42 }))).toContain("schema");
    expect(kinds(200, "<html>", true, "text/html")).toContain("schema");
    expect(kinds(200, "{}", false)).toContain("acceptedInvalid");
    expect(kinds(409, problem(409), false, "application/problem+json")).toEqual([]);
  });

  it("every documented operation keeps its contract under generated requests", async () => {
    const v = validators(doc);
    console.log(
      `api fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${RUNS} requests per operation, ${ops.length} operations`,
    );
    const missing = /Not included.*/.exec(doc.info?.description ?? "")?.[0];
    if (missing) console.log(`api fuzz: WARNING the merged document says: ${missing}`);

    const findings: Finding[] = [];
    const perOp: { op: string; sent: number; valid: number; statuses: Record<number, number> }[] = [];
    let requests = 0;
    let rejectedValid = 0;
    let unconfigured = 0;
    const rejectedValidExamples = new Map<string, string>();
    const started = Date.now();

    for (const op of ops) {
      await beforeOp(op, fx);
      const ctx: GenContext = { doc, pool: (schema, name) => poolFor(op, fx, schema, name) };
      const seed = (SEED ^ hash32(op.id)) >>> 0;
      const whos: Who[] = SELF_MUTATING.has(op.id)
        ? ["none", "customer", "bogus"]
        : ["none", "customer", "admin", "bogus"];
      const generated = fc.sample(requestArb(op, ctx, { whos }), { seed, numRuns: RUNS });
      const first = generated[0];
      if (op.body && first) generated.push(oversized({ ...first, who: "customer" }));
      const results = await pool(generated, CONCURRENCY, async (req: FuzzRequest) => {
        const sent = await send(baseUrl(), op, req, tokenFor(req.who, fx));
        const valid = isValidRequest(op, req, v);
        let found = checkResponse(op, sent, valid, v);
        const excuse = UNCONFIGURED[op.id];
        const unconfigured = excuse !== undefined && sent.status === 503 && sent.text.includes(excuse);
        if (unconfigured) found = found.filter((f) => f.kind !== "5xx");
        return { sent, valid, findings: found, unconfigured };
      });
      const statuses: Record<number, number> = {};
      for (const r of results) {
        statuses[r.sent.status] = (statuses[r.sent.status] ?? 0) + 1;
        findings.push(...r.findings);
        if (r.unconfigured) unconfigured++;
        const authorised = !op.authRequired || r.sent.req.who === "customer" || r.sent.req.who === "admin";
        if (r.valid && authorised && r.sent.status === 400) {
          rejectedValid++;
          const detail = /"detail":"([^"]*)"/.exec(r.sent.text)?.[1] ?? excerpt(r.sent.text, 80);
          const key = `${op.id}: ${detail}`;
          if (!rejectedValidExamples.has(key)) {
            rejectedValidExamples.set(key, `${excerpt(r.sent.url, 160)} ${excerpt(r.sent.req.body?.text ?? "", 160)}`);
          }
        }
      }
      requests += results.length;
      perOp.push({ op: op.id, sent: results.length, valid: results.filter((r) => r.valid).length, statuses });
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`api fuzz: ${requests} requests in ${seconds} s`);
    console.table(
      perOp.map((p) => ({
        operation: p.op,
        sent: p.sent,
        valid: p.valid,
        statuses: Object.entries(p.statuses)
          .map(([s, n]) => `${s}×${n}`)
          .join(" "),
      })),
    );
    if (rejectedValid) {
      const lines = [...rejectedValidExamples].map(([k, e]) => `${k}\n      e.g. ${e}`);
      console.log(
        `api fuzz: note — ${rejectedValid} requests valid by the document were refused with 400 (the service is stricter than its document; informational):\n  ${lines.join("\n  ")}`,
      );
    }
    if (unconfigured) {
      console.log(
        `api fuzz: note — ${unconfigured} documented 503s from routes this system runs unconfigured: ${Object.keys(UNCONFIGURED).join(", ")}`,
      );
    }

    const count = (k: Finding["kind"]) => findings.filter((f) => f.kind === k).length;
    const summary = {
      operations: ops.length,
      requests,
      fiveXX: count("5xx"),
      undocumented: count("undocumented"),
      schemaMismatches: count("schema"),
      acceptedInvalid: count("acceptedInvalid"),
      unauthenticated: count("unauthenticated"),
      unconfigured,
      seed: SEED,
    };
    record("api fuzz", summary);
    const report = groupFindings(findings);
    if (report.length) console.log(`api fuzz: ${findings.length} findings (seed ${SEED}):\n${report.join("\n")}`);

    for (const p of perOp) expect(p.sent, `${p.op} requests`).toBeGreaterThanOrEqual(100);
    expect(report, `contract violations (replay with FUZZ_SEED=${SEED})`).toEqual([]);
  });
});

/** One line per (kind, operation, status) with how often and the first example. */
function groupFindings(findings: Finding[]): string[] {
  const groups = new Map<string, { f: Finding; n: number }>();
  for (const f of findings) {
    const key = `${f.kind} | ${f.service} | ${f.op} | ${f.status}`;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { f, n: 1 });
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { f, n }]) => `- ${key} ×${n}: ${f.detail}\n    e.g. ${f.example}`);
}

function tokenFor(who: Who, fx: Fixtures): string | undefined {
  return who === "customer" || who === "admin" ? fx.tokens[who] : undefined;
}

/** Real values for string schemas, so valid requests reach past "not found" into the handlers. */
function poolFor(
  op: Op,
  fx: Fixtures,
  schema: Record<string, unknown>,
  name: string | undefined,
): readonly string[] | undefined {
  const pattern = typeof schema.pattern === "string" ? schema.pattern : "";
  const prefix = /^\^([a-z]{2,4})_/.exec(pattern)?.[1];
  switch (prefix) {
    case "prd":
      return writesProduct(op) ? fx.targetProducts : [...fx.shopProducts, ...fx.targetProducts];
    case "var":
      return (writesProduct(op) ? fx.targetProducts : [...fx.shopProducts, ...fx.targetProducts]).map(defaultVariantId);
    case "cat":
      return fx.categories;
    case "usr":
      return [fx.users.customer, fx.users.customer2];
    case "ord":
      return [...fx.focus.orders, ...fx.focus.orders, ...fx.orders];
    case "pay":
      return [...fx.focus.payments, ...fx.focus.payments, ...fx.payments];
  }
  switch (name?.toLowerCase()) {
    case "email":
      return op.id === "POST /users/login" ? [fx.sacrificial.email] : undefined;
    case "password":
      return op.id === "POST /users/login" ? [fx.sacrificial.password] : undefined;
    case "refreshtoken":
      return refreshTokens.get(op.id);
    case "if-match":
      return [...fx.versions, ...fx.versions, '"1"', 'W/"2"', '"999"', "*"];
    case "x-cart-id":
      return fx.guestCart ? [fx.guestCart] : undefined;
    case "paymentmethod":
      return ["pm_card_visa", "pm_card_mastercard", "pm_card_chargeDeclined"];
  }
  return undefined;
}

const refreshTokens = new Map<string, string[]>();

/** A paid order of the fuzz customer (and its payment), for the admin's state-changing routes. */
/**
 * Earlier operations leave generated quantities in the fixture users' carts (up to the line limit);
 * a fixture checkout starts from an empty cart so its one unit always fits and is in stock.
 */
async function emptyCart(token: string) {
  const cleared = await call("DELETE", "/cart", { token });
  if (cleared.status >= 300) throw new Error(`empty cart → ${cleared.status} ${JSON.stringify(cleared.body)}`);
}

async function paidOrder(fx: Fixtures, tag: string): Promise<{ order: string; payment?: string }> {
  await emptyCart(fx.tokens.customer);
  await addToCart(fx.tokens.customer, fx.shopProducts[0] as string, 1);
  const placed = await placeOrder(fx.tokens.customer, `fuzz-${tag}-${SEED}-${Date.now()}`);
  if (placed.status !== 201 && placed.status !== 202)
    throw new Error(`place order → ${placed.status} ${JSON.stringify(placed.body)}`);
  const order = await settle(fx.tokens.customer, placed.body.id, "paid");
  return { order: placed.body.id, payment: (order as { payment?: { paymentId?: string } }).payment?.paymentId };
}

/** State an operation's valid requests need: a cart to check out, orders to ship, payments to refund, sessions to refresh. */
async function beforeOp(op: Op, fx: Fixtures) {
  fx.focus = { orders: [], payments: [] };
  if (
    op.id === "POST /orders/{id}/ship" ||
    op.id === "POST /orders/{id}/cancel" ||
    op.id === "POST /payments/{id}/refund"
  ) {
    const { order, payment } = await paidOrder(fx, "focus");
    fx.focus = { orders: [order], payments: payment ? [payment] : [] };
  }
  if (op.id === "POST /orders/{id}/deliver") {
    const { order } = await paidOrder(fx, "deliver");
    const shipped = await call("POST", `/orders/${order}/ship`, {
      token: fx.tokens.admin,
      body: { carrier: "DHL", trackingNumber: "FUZZ-1" },
    });
    if (shipped.status !== 200) throw new Error(`ship → ${shipped.status} ${JSON.stringify(shipped.body)}`);
    fx.focus.orders = [order];
  }
  if (writesProduct(op)) {
    const heads = await Promise.all(fx.targetProducts.map((id) => call("GET", `/products/${id}`)));
    fx.versions = heads
      .flatMap((h) => (h.status === 200 ? [`"${h.body.version}"`, h.headers.get("etag") ?? ""] : []))
      .filter(Boolean);
  }
  if (op.id === "POST /orders") {
    await emptyCart(fx.tokens.customer);
    await emptyCart(fx.tokens.admin);
    await addToCart(fx.tokens.customer, fx.shopProducts[0] as string, 1);
    await addToCart(fx.tokens.admin, fx.shopProducts[1] as string, 1);
  }
  if (op.path.startsWith("/orders/") || op.path.startsWith("/payments")) {
    const mine = await call("GET", "/orders?limit=100", { token: fx.tokens.customer });
    if (mine.status === 200)
      fx.orders = [...new Set([...fx.orders, ...mine.body.items.map((o: { id: string }) => o.id)])];
    const pays = await call("GET", `/payments?limit=100&userId=${fx.users.customer}`, { token: fx.tokens.admin });
    if (pays.status === 200) fx.payments = pays.body.items.map((p: { id: string }) => p.id);
  }
  if (op.id === "POST /users/refresh" || op.id === "POST /users/logout") {
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) tokens.push((await login(fx.sessions)).refreshToken);
    refreshTokens.set(op.id, tokens);
  }
}
