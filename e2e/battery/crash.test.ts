import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
// @ts-expect-error plain ESM module shared with `npm start`
import { PAYMENT_MODES, ROOT, startStripeFake, startSystem } from "../../scripts/system.mjs";
import { call } from "../support/http";
import { describeEachMode, type PaymentMode } from "../support/modes";
import { OPEN_STATUSES, record } from "../support/shop";

/**
 * Crash: the whole workerd process is killed with SIGKILL in the middle of a checkout load,
 * then restarted on the same persisted state. After alarms and queues drain, every order a
 * client was told about (201) exists, has settled, and the invariants hold. In each provider
 * mode; in Stripe mode the fake Stripe server lives on across the crash, as Stripe would.
 */
const BASE_PORT = Number(process.env.E2E_PORT ?? 8806) + 20;
const BUYERS = process.env.BATTERY_FAST === "1" ? 20 : 40;
const DEADLINE_SECONDS = 20;

type System = { url: string; stop(): Promise<void>; dev: { pid: number } };
type Fake = { stop(): Promise<void> };
let system: System | undefined;
let stripe: Fake | undefined;

async function boot(mode: PaymentMode, fresh: boolean): Promise<System> {
  const port = BASE_PORT + 3 * (PAYMENT_MODES as PaymentMode[]).indexOf(mode);
  const state = join(ROOT, `.state-crash-${port}`);
  if (mode === "stripe") stripe ??= await startStripeFake({ port, stripePort: port + 2 });
  return startSystem({
    port,
    stateDir: state,
    fresh,
    quiet: true,
    detached: true,
    logFile: `${state}.log`,
    provider: mode,
    stripe,
    // Every buyer checks out in a loop from this one address: no sign-in throttle, no rate limits.
    vars: { AUTH_THROTTLE: "off", RATE_LIMITS: "off", PAYMENT_DEADLINE_SECONDS: String(DEADLINE_SECONDS) },
  });
}

function api(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  return call(method, path, { base: system?.url, token, body, headers });
}

describeEachMode("crash", (mode) => {
  afterAll(async () => {
    await system?.stop();
    await stripe?.stop();
    system = undefined;
    stripe = undefined;
  });

  it("SIGKILL mid-load, restart on the same state: acknowledged orders exist and the invariants hold", async () => {
    system = await boot(mode, true);
    const admin = (
      await api("POST", "/users/login", undefined, {
        email: "admin@shop.local",
        password: process.env.SHOP_ADMIN_PASSWORD ?? "admin-pass-2026",
      })
    ).body.accessToken;
    const cats = await api("GET", "/categories");
    const STOCK = 1000;
    const product = (
      await api("POST", "/products", admin, {
        sku: `CRASH-${Date.now()}`,
        name: "Crash test item",
        categoryId: cats.body.items[0].id,
        price: { amount: 999, currency: "USD" },
        initialStock: STOCK,
      })
    ).body;
    const tokens: string[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const email = `crash-${Date.now()}-${i}@example.com`;
      const reg = await api("POST", "/users", undefined, { email, password: "crash-password-1", name: "Crash Buyer" });
      expect(reg.status, JSON.stringify(reg.body)).toBe(202);
      tokens.push(
        (await api("POST", "/users/login", undefined, { email, password: "crash-password-1" })).body.accessToken,
      );
    }

    // Load: every buyer checks out in a loop; the process is killed while they are at it.
    const acknowledged: { id: string; token: string }[] = [];
    let stop = false;
    const load = tokens.map(async (token) => {
      while (!stop) {
        try {
          const add = await api("POST", "/cart/items", token, { productId: product.id, quantity: 1 });
          if (add.status >= 300) continue;
          const res = await api(
            "POST",
            "/orders",
            token,
            {
              shippingAddress: { name: "Crash", line1: "1 Kill St", city: "Oslo", postalCode: "0150", country: "NO" },
              paymentMethod: "pm_card_visa",
            },
            { "idempotency-key": `crash-${crypto.randomUUID()}` },
          );
          if (res.status === 201) acknowledged.push({ id: res.body.id, token });
        } catch {
          // Connection refused while the process is down.
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    });
    await new Promise((r) => setTimeout(r, 4_000));
    process.kill(-system.dev.pid, "SIGKILL");
    const beforeCrash = acknowledged.length;
    await new Promise((r) => setTimeout(r, 1_000));
    stop = true;
    await Promise.all(load);
    await system.stop().catch(() => {});

    system = await boot(mode, false);
    // Drain: alarms retry, unpaid orders pass their deadline, queues redeliver. Orders whose
    // request was cut by the kill (never acknowledged) drain too: they hold stock until they
    // settle, so the drain waits for every buyer's order and for the holds to be given back.
    const deadline = Date.now() + (DEADLINE_SECONDS + 60) * 1000;
    const open = (s: string) => OPEN_STATUSES.includes(s);
    let statuses: string[] = [];
    type Listed = { id: string; status: string; lines: { quantity: number }[] };
    let everyOrder: Listed[] = [];
    let inv = { onHand: -1, reserved: -1 };
    while (Date.now() < deadline) {
      statuses = await Promise.all(
        acknowledged.map(async (o) => (await api("GET", `/orders/${o.id}`, o.token)).body?.status ?? "missing"),
      );
      everyOrder = (
        await Promise.all(
          tokens.map(async (t) => ((await api("GET", "/orders?limit=100", t)).body?.items ?? []) as Listed[]),
        )
      ).flat();
      inv = (await api("GET", `/products/${product.id}/inventory`, admin)).body;
      if (!statuses.some(open) && !everyOrder.some((o) => open(o.status)) && inv.reserved === 0) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const paid = statuses.filter((s) => s === "paid").length;
    const paidOrders = everyOrder.filter((o) => o.status === "paid");
    const paidUnits = paidOrders.reduce((n, o) => n + o.lines.reduce((m, l) => m + l.quantity, 0), 0);
    const succeededOrders = new Set<string>();
    for (let cursor: string | null = ""; cursor !== null; ) {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page: { items: { orderId: string }[]; nextCursor: string | null } = (
        await api("GET", `/payments?status=succeeded&limit=100${q}`, admin)
      ).body;
      for (const p of page.items as { orderId: string }[]) succeededOrders.add(p.orderId);
      cursor = page.nextCursor;
    }
    const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
    record(`crash (SIGKILL mid-load) [${mode}]`, {
      acknowledged: acknowledged.length,
      beforeKill: beforeCrash,
      allOrders: everyOrder.length,
      ...Object.fromEntries(
        [...new Set(everyOrder.map((o) => o.status))].map((st) => [
          `all.${st}`,
          everyOrder.filter((o) => o.status === st).length,
        ]),
      ),
      ...counts,
      onHand: inv.onHand,
      reserved: inv.reserved,
    });
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === "missing")).toEqual([]);
    expect(statuses.filter(open)).toEqual([]);
    expect(everyOrder.filter((o) => open(o.status))).toEqual([]);
    // Every acknowledged order is among the buyers' orders, with the same outcome.
    for (const [i, o] of acknowledged.entries()) {
      expect(everyOrder.find((x) => x.id === o.id)?.status, o.id).toBe(statuses[i]);
    }
    // Stock conserved and nothing reserved for a finished order.
    expect(paid).toBeGreaterThan(0);
    expect(inv.onHand + paidUnits).toBe(STOCK);
    expect(inv.reserved).toBe(0);
    // Never money taken without an order: every succeeded (not refunded) payment belongs to a paid order.
    const paidIds = new Set(paidOrders.map((o) => o.id));
    const ours = new Set(everyOrder.map((o) => o.id));
    for (const orderId of succeededOrders) {
      if (ours.has(orderId)) expect(paidIds.has(orderId), orderId).toBe(true);
    }
  });
});
