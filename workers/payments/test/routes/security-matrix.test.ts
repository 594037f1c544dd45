import { env } from "cloudflare:test";
import { forgedAdminTokens } from "@shop/testing/worker";
import { beforeAll, describe, expect, it } from "vitest";
import { createInput, harness, tokenFor, userId } from "../helpers";

/**
 * The security matrix of payments: every bearer route refuses no token and tokens the users
 * worker never issued (401), refunds refuse customers (403), and a customer never reaches
 * another customer's payment, whatever filter they send.
 */

type Page = { items: { id: string; userId: string }[]; nextCursor: string | null };
type Route = { method: string; path: () => string; body?: unknown; headers?: Record<string, string> };

const h = harness();
const owner = userId();
let paymentId: string;
let orderId: string;

beforeAll(async () => {
  const created = await h.rpc.create(createInput({ userId: owner, amount: 4000 }));
  await h.deliver();
  paymentId = created.paymentId;
  orderId = created.orderId;
});

const routes: [string, Route][] = [
  ["GET /payments", { method: "GET", path: () => "/payments" }],
  ["GET /payments/{id}", { method: "GET", path: () => `/payments/${paymentId}` }],
  [
    "POST /payments/{id}/refund",
    {
      method: "POST",
      path: () => `/payments/${paymentId}/refund`,
      body: { reason: "requested_by_customer" },
      headers: { "idempotency-key": `key-${crypto.randomUUID()}` },
    },
  ],
];

function send(route: Route, auth: Record<string, string>) {
  return h.fetch(route.path(), {
    method: route.method,
    headers: { ...route.headers, ...(route.body ? { "content-type": "application/json" } : {}), ...auth },
    ...(route.body ? { body: JSON.stringify(route.body) } : {}),
  });
}

async function refunded(): Promise<number> {
  const row = await env.DB.prepare("SELECT amount_refunded FROM payments WHERE id = ?1")
    .bind(paymentId)
    .first<{ amount_refunded: number }>();
  return row?.amount_refunded ?? -1;
}

describe.each(routes)("%s", (_name, route) => {
  it("no token, a non-Bearer scheme, or a forged, expired or tampered token → 401; nothing is refunded", async () => {
    const anonymous = await send(route, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expect((await send(route, { authorization: "Basic YWRtaW46YWRtaW4=" })).status).toBe(401);
    for (const [what, token] of await forgedAdminTokens(env.TEST_SIGNING_JWK, owner)) {
      expect((await send(route, { authorization: `Bearer ${token}` })).status, what).toBe(401);
    }
    expect(await refunded()).toBe(0);
  });
});

describe("POST /payments/{id}/refund (admin only)", () => {
  it("another customer → 403 like the owner, and nothing is refunded", async () => {
    for (const who of [userId(), owner]) {
      const res = await send(routes[2]?.[1] as Route, await tokenFor(who));
      expect(res.status).toBe(403);
    }
    expect(await refunded()).toBe(0);
  });
});

describe("another customer's payment", () => {
  it("GET /payments/{id} → 404 without naming the owner", async () => {
    const res = await h.fetch(`/payments/${paymentId}`, { headers: await tokenFor(userId()) });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(owner);
  });

  it.each([
    ["no filter", () => ""],
    ["userId of the owner", () => `?userId=${owner}`],
    ["orderId of the owner's order", () => `?orderId=${orderId}`],
    ["status of the owner's payment", () => "?status=succeeded&limit=100"],
  ])("GET /payments with %s never lists it", async (_what, query) => {
    const me = userId();
    const mine = await h.rpc.create(createInput({ userId: me }));
    await h.deliver();
    const res = await h.fetch(`/payments${query()}`, { headers: await tokenFor(me) });
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as Page).items.map((p) => p.id);
    expect(ids).not.toContain(paymentId);
    expect(ids.every((id) => id === mine.paymentId)).toBe(true);
  });

  it("the same filters reach it for an admin (the control for the scoping above)", async () => {
    const admin = await tokenFor(userId(), "admin");
    for (const query of [`?userId=${owner}`, `?orderId=${orderId}`]) {
      const page = (await (await h.fetch(`/payments${query}`, { headers: admin })).json()) as Page;
      expect(
        page.items.map((p) => p.id),
        query,
      ).toEqual([paymentId]);
    }
  });
});
