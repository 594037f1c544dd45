import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createInput, harness, tokenFor, userId } from "../helpers";

type Page = { items: { id: string; userId: string; status: string }[]; nextCursor: string | null };

describe("GET /payments/{id}", () => {
  it("the owner sees their payment; no card data in it", async () => {
    const h = harness();
    const owner = userId();
    const created = await h.rpc.create(createInput({ userId: owner }));
    await h.deliver();
    const res = await h.fetch(`/payments/${created.paymentId}`, { headers: await tokenFor(owner) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ id: created.paymentId, userId: owner, status: "succeeded", provider: "simulated" });
    expect(JSON.stringify(body)).not.toContain("pm_");
  });

  it("another customer gets 404; an admin sees it", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput());
    const other = await h.fetch(`/payments/${created.paymentId}`, { headers: await tokenFor(userId()) });
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    const admin = await h.fetch(`/payments/${created.paymentId}`, { headers: await tokenFor(userId(), "admin") });
    expect(admin.status).toBe(200);
  });

  it("no token → 401; malformed id → 400 naming the field", async () => {
    const h = harness();
    expect((await h.fetch("/payments/pay_01jd8x3v4k2m9q7r5t6w8y0zab")).status).toBe(401);
    const bad = await h.fetch("/payments/nope", { headers: await tokenFor(userId()) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "validation_failed", errors: [{ path: "id" }] });
  });
});

describe("GET /payments", () => {
  it("a customer sees only their own, newest first, in cursor pages", async () => {
    const h = harness();
    const me = userId();
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push((await h.rpc.create(createInput({ userId: me }))).paymentId);
    await h.rpc.create(createInput());
    const headers = await tokenFor(me);
    const first = (await (await h.fetch("/payments?limit=2", { headers })).json()) as Page;
    expect(first.items.map((p) => p.id)).toEqual([mine[2], mine[1]]);
    expect(first.nextCursor).toBeTruthy();
    const second = (await (await h.fetch(`/payments?limit=2&cursor=${first.nextCursor}`, { headers })).json()) as Page;
    expect(second.items.map((p) => p.id)).toEqual([mine[0]]);
    expect(second.nextCursor).toBeNull();
    // A customer cannot widen the scope with userId.
    const sneaky = (await (await h.fetch(`/payments?userId=${userId()}`, { headers })).json()) as Page;
    expect(sneaky.items.every((p) => p.userId === me)).toBe(true);
  });

  it("an admin sees everyone's and filters by status and order", async () => {
    const h = harness();
    const a = await h.rpc.create(createInput({ paymentMethod: "pm_card_chargeDeclined" }));
    await h.deliver();
    const admin = await tokenFor(userId(), "admin");
    const failed = (await (await h.fetch("/payments?status=failed&limit=100", { headers: admin })).json()) as Page;
    expect(failed.items.map((p) => p.id)).toContain(a.paymentId);
    expect(failed.items.every((p) => p.status === "failed")).toBe(true);
    const byOrder = (await (await h.fetch(`/payments?orderId=${a.orderId}`, { headers: admin })).json()) as Page;
    expect(byOrder.items.map((p) => p.id)).toEqual([a.paymentId]);
  });

  it("bad query → 400 problem+json, never 500", async () => {
    const h = harness();
    const headers = await tokenFor(userId());
    for (const q of ["limit=0", "limit=101", "status=lost", "cursor=%21%21", "orderId=x", "unknown=1"]) {
      const res = await h.fetch(`/payments?${q}`, { headers });
      expect(res.status, q).toBe(400);
      expect(res.headers.get("content-type"), q).toContain("application/problem+json");
    }
  });

  it("no token → 401", async () => {
    expect((await harness().fetch("/payments")).status).toBe(401);
  });
});

describe("GET /openapi.json", () => {
  it("documents the routes with a bearer scheme", async () => {
    const doc = (await (await harness().fetch("/openapi.json")).json()) as {
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/payments", "/payments/{id}", "/payments/{id}/refund", "/payments/webhook"]),
    );
    expect(doc.components.securitySchemes.bearer).toBeTruthy();
  });
});

describe("GET /payments?receivedAfterClose (admins see money that arrived after a close)", () => {
  it("lists a late success, which also says so in its view, and not the others", async () => {
    const h = harness();
    const late = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    await h.rpc.cancel(late.paymentId);
    const intent = await env.DB.prepare("SELECT id FROM sim_intents WHERE payment_id = ?")
      .bind(late.paymentId)
      .first<{ id: string }>();
    h.simulated.splice(0);
    await h.deliver([
      {
        id: `evt_late_${crypto.randomUUID()}`,
        type: "payment_intent.succeeded",
        paymentId: late.paymentId,
        providerRef: intent?.id ?? "",
        failureMessage: null,
      },
    ]);
    const ordinary = await h.rpc.create(createInput());
    const admin = await tokenFor(userId(), "admin");
    const flagged = (await (
      await h.fetch("/payments?receivedAfterClose=true&limit=100", { headers: admin })
    ).json()) as {
      items: { id: string; receivedAfterClose: boolean; status: string }[];
    };
    expect(flagged.items.find((p) => p.id === late.paymentId)).toMatchObject({
      status: "succeeded",
      receivedAfterClose: true,
    });
    expect(flagged.items.map((p) => p.id)).not.toContain(ordinary.paymentId);
    expect(flagged.items.every((p) => p.receivedAfterClose)).toBe(true);
    const bad = await h.fetch("/payments?receivedAfterClose=maybe", { headers: admin });
    expect(bad.status).toBe(400);
  });
});
