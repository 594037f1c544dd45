import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import type { OrderPage, UsersRpc } from "@shop/contracts";
import { bearer } from "@shop/testing/worker";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { CUSTOMER_LOOKUP_TIMEOUT_MS } from "../../src/services/orders/order-customers";
import { call, checkout, createProduct, type Shopper, shopper } from "../helpers";

/** The real users worker, as the orders code sees it (typed by its contract). */
const realUsers = env.USERS as unknown as UsersRpc;

/** An account in the real users worker's database, for the shopper's id. */
async function account(who: Shopper, name: string): Promise<string> {
  const email = `${who.userId.slice(-10)}@example.com`;
  const now = new Date().toISOString();
  await env.TEST_USERS_DB.prepare(
    "INSERT INTO users (id, email, name, phone, role, email_verified, password_hash, created_at, updated_at) VALUES (?1, ?2, ?3, NULL, 'customer', 0, 'x', ?4, ?4)",
  )
    .bind(who.userId, email, name, now)
    .run();
  return email;
}

/** GET /orders through the real worker with `USERS` replaced: the users worker as this test wants it. */
async function listWith(users: Pick<UsersRpc, "jwks" | "contactsOf">, token: string): Promise<Response> {
  const bindings = Object.create(env, { USERS: { value: users, enumerable: true } });
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("https://orders/orders?limit=100", { headers: bearer(token) }),
    bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

async function placedOrder(who: Shopper): Promise<string> {
  const productId = await createProduct();
  return (await checkout(who, [{ productId, quantity: 1 }])).id;
}

describe("GET /orders: who placed each order (admins only)", () => {
  it("gives an admin each order's customer name and email, from one users call per page", async () => {
    const admin = await shopper("admin");
    const ada = await shopper();
    const adaEmail = await account(ada, "Ada Lovelace");
    const first = await placedOrder(ada);
    const second = await placedOrder(ada);
    const ghost = await shopper(); // no account at users (gone, or never synced)
    const ghostOrder = await placedOrder(ghost);

    const calls: string[][] = [];
    const counting: Pick<UsersRpc, "jwks" | "contactsOf"> = {
      jwks: (meta) => realUsers.jwks(meta),
      contactsOf: (ids, meta) => {
        calls.push(ids);
        return realUsers.contactsOf(ids, meta);
      },
    };
    const res = await listWith(counting, admin.token);
    expect(res.status).toBe(200);
    const page = (await res.json()) as OrderPage;
    const byId = new Map(page.items.map((o) => [o.id, o]));
    expect(byId.get(first)?.customer).toEqual({ name: "Ada Lovelace", email: adaEmail });
    expect(byId.get(second)?.customer).toEqual({ name: "Ada Lovelace", email: adaEmail });
    expect(byId.get(ghostOrder)?.customer).toEqual({ name: null, email: null });
    for (const o of page.items) expect(o).toHaveProperty("customer");
    // One call for the whole page, each customer asked for once.
    expect(calls).toHaveLength(1);
    expect(new Set(calls[0]).size).toBe(calls[0]?.length);
    expect(calls[0]).toEqual(expect.arrayContaining([ada.userId, ghost.userId]));
  });

  it("a customer's own history carries no customer field", async () => {
    const me = await shopper();
    await account(me, "Grace Hopper");
    const orderId = await placedOrder(me);
    const res = await call("GET", "/orders", { token: me.token });
    expect(res.status).toBe(200);
    const page = (await res.json()) as OrderPage;
    expect(page.items.map((o) => o.id)).toEqual([orderId]);
    expect(page.items[0]).not.toHaveProperty("customer");
  });

  it("still answers the admin, with unknown customers, while users is down", async () => {
    const admin = await shopper("admin");
    const me = await shopper();
    await account(me, "Katherine Johnson");
    const orderId = await placedOrder(me);

    const down: Pick<UsersRpc, "jwks" | "contactsOf"> = {
      // Keys still verify (cached in a real outage); only the lookup fails.
      jwks: (meta) => realUsers.jwks(meta),
      contactsOf: async () => {
        throw new Error("users is not running");
      },
    };
    const res = await listWith(down, admin.token);
    expect(res.status).toBe(200);
    const page = (await res.json()) as OrderPage;
    const mine = page.items.find((o) => o.id === orderId);
    expect(mine?.customer).toEqual({ name: null, email: null });
    expect(mine?.status).toBeTruthy();

    // Through the real binding, with users up, the same order has its name again.
    const up = await call("GET", "/orders?limit=100", { token: admin.token });
    const again = ((await up.json()) as OrderPage).items.find((o) => o.id === orderId);
    expect(again?.customer).toMatchObject({ name: "Katherine Johnson" });
  });
});

describe("GET /orders while users is slow", () => {
  it("does not wait past the lookup's deadline: the page goes out without names", async () => {
    const admin = await shopper("admin");
    const me = await shopper();
    await account(me, "Dorothy Vaughan");
    const orderId = await placedOrder(me);
    const hanging: Pick<UsersRpc, "jwks" | "contactsOf"> = {
      jwks: (meta) => realUsers.jwks(meta),
      contactsOf: () => new Promise(() => {}),
    };
    const started = Date.now();
    const res = await listWith(hanging, admin.token);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(CUSTOMER_LOOKUP_TIMEOUT_MS + 2_000);
    const mine = ((await res.json()) as OrderPage).items.find((o) => o.id === orderId);
    expect(mine?.customer).toEqual({ name: null, email: null });
  });
});

describe("the OpenAPI document", () => {
  it("documents the admin-only customer on each listed order", async () => {
    const res = await call("GET", "/openapi.json");
    const doc = (await res.json()) as {
      components: {
        schemas: Record<string, { properties?: Record<string, unknown>; required?: string[]; description?: string }>;
      };
    };
    const summary = doc.components.schemas.OrderSummary;
    expect(JSON.stringify(summary?.properties?.customer)).toContain("#/components/schemas/OrderCustomer");
    expect(summary?.required ?? []).not.toContain("customer");
    const customer = doc.components.schemas.OrderCustomer;
    expect(Object.keys(customer?.properties ?? {}).sort()).toEqual(["email", "name"]);
    expect(customer?.description).toMatch(/admin listing only/);
  });
});
