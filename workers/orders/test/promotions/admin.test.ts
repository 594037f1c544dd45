import { env } from "cloudflare:test";
import type { PromotionRecord, ShippingZoneRecord } from "@shop/contracts";
import { forgedAdminTokens } from "@shop/testing/worker";
import { beforeAll, describe, expect, it } from "vitest";
import { call, problem, type Shopper, shopper } from "../helpers";

let admin: Shopper;
let customer: Shopper;
const unique = () => `T${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
/** A product no cart holds, so test promotions never touch other tests' quotes. */
const NOWHERE = { scope: "products", productIds: ["prd_01jd8x3v4k2m9q7r5t6w8y0zzz"] };

beforeAll(async () => {
  admin = await shopper("admin");
  customer = await shopper();
});

const create = (body: unknown, token = admin.token) => call("POST", "/promotions", { token, body });

describe("promotions: admin CRUD", () => {
  it("creates a code (upper-cased), lists it, disables it", async () => {
    const code = unique().toLowerCase();
    const res = await create({
      code,
      name: "Ten off",
      discount: { kind: "percentage", percent: 10 },
      target: NOWHERE,
      minSubtotal: { EUR: 2000 },
      endsAt: "2030-01-01T00:00:00.000Z",
      usageLimit: 10,
      perCustomerLimit: 1,
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as PromotionRecord;
    expect(created).toMatchObject({
      code: code.toUpperCase(),
      uses: 0,
      active: true,
      usageLimit: 10,
      exclusive: false,
    });
    const list = (await (await call("GET", "/promotions", { token: admin.token })).json()) as {
      items: PromotionRecord[];
    };
    expect(list.items.map((p) => p.id)).toContain(created.id);
    const off = await call("PATCH", `/promotions/${created.id}`, { token: admin.token, body: { active: false } });
    expect(off.status).toBe(200);
    expect(((await off.json()) as PromotionRecord).active).toBe(false);
    const one = (await (
      await call("GET", `/promotions/${created.id}`, { token: admin.token })
    ).json()) as PromotionRecord;
    expect(one).toMatchObject({ active: false, name: "Ten off", minSubtotal: { EUR: 2000 } });
  });

  it.each([
    [{ name: "x", discount: { kind: "percentage", percent: 0 }, target: { scope: "order" } }, "discount.percent"],
    [{ name: "x", discount: { kind: "percentage", percent: 101 }, target: { scope: "order" } }, "discount.percent"],
    [{ name: "x", discount: { kind: "fixed", amount: {} }, target: { scope: "order" } }, "discount.amount"],
    [{ name: "x", discount: { kind: "fixed", amount: { XYZ: 5 } }, target: { scope: "order" } }, "discount.amount.XYZ"],
    [{ name: "x", code: "a b", discount: { kind: "percentage", percent: 5 }, target: { scope: "order" } }, "code"],
    [{ name: "", discount: { kind: "percentage", percent: 5 }, target: { scope: "order" } }, "name"],
    [
      { name: "x", discount: { kind: "percentage", percent: 5 }, target: { scope: "products", productIds: [] } },
      "target.productIds",
    ],
    [
      {
        name: "x",
        discount: { kind: "percentage", percent: 5 },
        target: { scope: "order" },
        startsAt: "2030-01-02T00:00:00Z",
        endsAt: "2030-01-01T00:00:00Z",
      },
      "endsAt",
    ],
    [
      { name: "x", discount: { kind: "percentage", percent: 5 }, target: { scope: "order" }, usageLimit: 0 },
      "usageLimit",
    ],
    [{ name: "x", discount: { kind: "percentage", percent: 5 }, target: { scope: "order" }, uses: 3 }, "uses"],
  ])("refuses %j with 400 problem+json naming %s", async (body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain(field);
  });

  it("a code taken by another promotion → 409 naming code; a limit below the uses → 409 naming usageLimit", async () => {
    const code = unique();
    const body = { code, name: "A", discount: { kind: "fixed", amount: { USD: 500 } }, target: NOWHERE };
    expect((await create(body)).status).toBe(201);
    const again = await create({ ...body, code: code.toLowerCase() });
    expect(again.status).toBe(409);
    expect((await problem(again)).errors?.map((e) => e.path)).toEqual(["code"]);

    const p = (await (await create({ ...body, code: unique(), usageLimit: 5 })).json()) as PromotionRecord;
    await env.DB.prepare("INSERT INTO promotion_redemptions VALUES (?1, 'ord_x1', 'usr_x', 'claimed', 'now', NULL)")
      .bind(p.id)
      .run();
    await env.DB.prepare("INSERT INTO promotion_redemptions VALUES (?1, 'ord_x2', 'usr_x', 'claimed', 'now', NULL)")
      .bind(p.id)
      .run();
    const lower = await call("PATCH", `/promotions/${p.id}`, { token: admin.token, body: { usageLimit: 1 } });
    expect(lower.status).toBe(409);
    expect((await problem(lower)).errors?.map((e) => e.path)).toEqual(["usageLimit"]);
    const code2 = await call("PATCH", `/promotions/${p.id}`, { token: admin.token, body: { code: "NEW" } });
    expect(code2.status).toBe(400);
  });

  it("no token → 401, a forged one → 401, a customer → 403; nothing is created", async () => {
    const before = (await env.DB.prepare("SELECT COUNT(*) AS n FROM promotions").first<{ n: number }>())?.n;
    const body = { name: "x", discount: { kind: "percentage", percent: 5 }, target: NOWHERE };
    const routes: [string, string, unknown?][] = [
      ["GET", "/promotions"],
      ["POST", "/promotions", body],
      ["PATCH", "/promotions/prm_01jd8x3v4k2m9q7r5t6w8y0zab", { active: false }],
      ["GET", "/shipping"],
      ["PUT", "/shipping/zones/mars", { name: "Mars", countries: ["MA"] }],
      ["PUT", "/shipping/methods/mars", { zoneId: "us", name: "M", rate: { kind: "flat", cost: { USD: 1 } } }],
      ["DELETE", "/shipping/zones/us"],
      ["DELETE", "/shipping/methods/us-express"],
    ];
    for (const [method, path, b] of routes) {
      const what = `${method} ${path}`;
      expect((await call(method, path, b ? { body: b } : {})).status, what).toBe(401);
      for (const [forged, token] of await forgedAdminTokens(env.TEST_SIGNING_JWK, customer.userId))
        expect((await call(method, path, { token, ...(b ? { body: b } : {}) })).status, `${what} ${forged}`).toBe(401);
      const res = await call(method, path, { token: customer.token, ...(b ? { body: b } : {}) });
      expect(res.status, what).toBe(403);
    }
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM promotions").first<{ n: number }>())?.n).toBe(before);
    const setup = (await (await call("GET", "/shipping", { token: admin.token })).json()) as {
      zones: ShippingZoneRecord[];
    };
    expect(setup.zones.map((z) => z.id)).not.toContain("mars");
  });
});

describe("shipping: admin CRUD", () => {
  it("the seeded zones and methods are there", async () => {
    const res = await call("GET", "/shipping", { token: admin.token });
    const setup = (await res.json()) as { zones: ShippingZoneRecord[]; methods: { id: string }[] };
    expect(setup.zones.map((z) => z.id)).toEqual(["eu", "uk", "us", "world"]);
    expect(setup.zones.find((z) => z.id === "eu")?.countries).toContain("DE");
    expect(setup.methods.map((m) => m.id)).toEqual(
      expect.arrayContaining(["us-standard", "us-express", "eu-standard", "uk-standard", "world-weight"]),
    );
  });

  it("a zone and a method: create, refuse a country of another zone (409 naming countries), delete in order", async () => {
    const zone = await call("PUT", "/shipping/zones/nordics", {
      token: admin.token,
      body: { name: "Nordics", countries: ["NO", "DK"] },
    });
    expect(zone.status).toBe(200);
    const clash = await call("PUT", "/shipping/zones/nordics", {
      token: admin.token,
      body: { name: "Nordics", countries: ["NO", "SE"] },
    });
    expect(clash.status).toBe(409);
    expect((await problem(clash)).errors?.map((e) => e.path)).toEqual(["countries"]);

    const bad = await call("PUT", "/shipping/methods/nordic-post", {
      token: admin.token,
      body: { zoneId: "nowhere", name: "Post", rate: { kind: "flat", cost: { EUR: 900 } } },
    });
    expect(bad.status).toBe(422);
    expect((await problem(bad)).errors?.map((e) => e.path)).toEqual(["zoneId"]);
    const badRate = await call("PUT", "/shipping/methods/nordic-post", {
      token: admin.token,
      body: { zoneId: "nordics", name: "Post", rate: { kind: "flat", cost: { EUR: -1 } } },
    });
    expect(badRate.status).toBe(400);
    expect((await problem(badRate)).errors?.map((e) => e.path)).toContain("rate.cost.EUR");
    const ok = await call("PUT", "/shipping/methods/nordic-post", {
      token: admin.token,
      body: { zoneId: "nordics", name: "Post", rate: { kind: "flat", cost: { EUR: 900 } } },
    });
    expect(ok.status).toBe(200);

    expect((await call("DELETE", "/shipping/zones/nordics", { token: admin.token })).status).toBe(409);
    expect((await call("DELETE", "/shipping/methods/nordic-post", { token: admin.token })).status).toBe(204);
    expect((await call("DELETE", "/shipping/zones/nordics", { token: admin.token })).status).toBe(204);
    expect((await call("DELETE", "/shipping/zones/nordics", { token: admin.token })).status).toBe(404);
  });
});
