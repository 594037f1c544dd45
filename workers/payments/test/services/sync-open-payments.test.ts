import { env } from "cloudflare:test";
import type { SettledPayment } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { syncOpenPayments } from "../../src/services/payments/sync-open-payments";
import { createInput, harness } from "../helpers";

/**
 * Reconciliation, provider → payments: a payment whose gateway events never arrived is moved by
 * asking the provider, through the same function webhooks use, once however often it runs.
 * The simulated provider's intents are its D1 table `sim_intents`; "the event was lost" is the
 * intent moving there while the simulator queue's message is dropped (never delivered).
 */

const minutesFromNow = (m: number) => Date.now() + m * 60_000;

async function moveIntent(paymentId: string, status: string, failureCode: string | null = null) {
  await env.DB.prepare(
    "UPDATE sim_intents SET status = ?2, failure_code = ?3, failure_message = ?4 WHERE payment_id = ?1",
  )
    .bind(paymentId, status, failureCode, failureCode ? "The bank account has insufficient funds." : null)
    .run();
}

async function nextSyncAt(paymentId: string) {
  const row = await env.DB.prepare("SELECT next_sync_at FROM payments WHERE id = ?1")
    .bind(paymentId)
    .first<{ next_sync_at: string | null }>();
  return row?.next_sync_at ?? null;
}

describe("syncOpenPayments", () => {
  it("3-D Secure approved at the bank, webhook lost: one run applies the success once, and only once", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    expect(created.status).toBe("requires_action");
    await moveIntent(created.paymentId, "succeeded");
    h.simulated.splice(0); // whatever the gateway queued is lost

    // Too young: its events may still be on their way.
    await syncOpenPayments(h.context());
    expect((await h.rpc.get(created.paymentId))?.status).toBe("requires_action");

    // The cron and an RPC sync racing each other still apply it once.
    const later = minutesFromNow(4);
    const [report] = await Promise.all([syncOpenPayments(h.context({ now: later })), h.rpc.sync(created.paymentId)]);
    expect(report.checked).toBeGreaterThanOrEqual(1);
    expect((await h.rpc.get(created.paymentId))?.status).toBe("succeeded");
    await syncOpenPayments(h.context({ now: minutesFromNow(120) }));
    expect(await h.rpc.sync(created.paymentId)).toMatchObject({ status: "succeeded" });
    const mine = h.events.filter((e) => e.body.data.paymentId === created.paymentId).map((e) => e.body.data.status);
    expect(mine).toEqual(["requires_action", "succeeded"]);
  });

  it("a bank debit whose settlement event was lost: the failure arrives with its code", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_usBankAccount_insufficientFunds" }));
    expect(created.status).toBe("processing");
    h.simulated.splice(0);
    await moveIntent(created.paymentId, "requires_payment_method", "insufficient_funds");

    await syncOpenPayments(h.context({ now: minutesFromNow(4) }));
    expect(await h.rpc.get(created.paymentId)).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
    const mine = h.events.filter((e) => e.body.data.paymentId === created.paymentId).map((e) => e.body.data.status);
    expect(mine).toEqual(["processing", "failed"]);
  });

  it("the answer to create was lost before a reference was stored: the intent is found by order", async () => {
    const h = harness();
    const orderId = newId("order");
    const paymentId = newId("payment");
    const at = new Date(Date.now() - 10 * 60_000).toISOString();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO payments (id, order_id, user_id, amount, currency, provider, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, 2599, 'USD', 'simulated', 'requires_payment', ?4, ?4)`,
      ).bind(paymentId, orderId, newId("user"), at),
      env.DB.prepare(
        `INSERT INTO sim_intents (id, payment_id, order_id, idempotency_key, amount, currency, payment_method, status,
           client_secret, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 2599, 'usd', 'pm_card_visa', 'succeeded', 'secret', ?5, ?5)`,
      ).bind(`pi_sim_${paymentId.slice(-12)}`, paymentId, orderId, `payment-${orderId}-2599-USD`, at),
    ]);

    await syncOpenPayments(h.context());
    const row = await env.DB.prepare("SELECT status, provider_ref FROM payments WHERE id = ?1")
      .bind(paymentId)
      .first<{ status: string; provider_ref: string }>();
    expect(row).toEqual({ status: "succeeded", provider_ref: `pi_sim_${paymentId.slice(-12)}` });
    expect(h.statuses()).toEqual(["succeeded"]);
  });

  it("a payment still processing at the provider changes nothing and waits its turn", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_usBankAccount_success" }));
    h.simulated.splice(0);
    const at = minutesFromNow(4);
    await syncOpenPayments(h.context({ now: at }));
    expect((await h.rpc.get(created.paymentId))?.status).toBe("processing");
    const next = await nextSyncAt(created.paymentId);
    expect(next && Date.parse(next)).toBeGreaterThanOrEqual(at + 2 * 60_000);

    // Not due again at the same moment: a batch is never filled with the same long-open payments.
    await moveIntent(created.paymentId, "succeeded");
    await syncOpenPayments(h.context({ now: at }));
    expect((await h.rpc.get(created.paymentId))?.status).toBe("processing");
    await syncOpenPayments(h.context({ now: minutesFromNow(30) }));
    expect((await h.rpc.get(created.paymentId))?.status).toBe("succeeded");
    expect(h.events.map((e) => e.body.data.status)).toEqual(["processing", "succeeded"]);
  });
});

describe("PaymentsRpc.settledSince", () => {
  it("pages the payments that took money, oldest change first, and nothing else", async () => {
    const h = harness();
    const since = new Date(Date.now() - 1000).toISOString();
    const paid: string[] = [];
    for (let i = 0; i < 3; i++) paid.push((await h.rpc.create(createInput())).paymentId);
    const declined = await h.rpc.create(createInput({ paymentMethod: "pm_card_chargeDeclined" }));
    const waiting = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));

    const seen: SettledPayment[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page = await h.rpc.settledSince({ since, cursor, limit: 1 });
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const ids = seen.map((p) => p.paymentId);
    expect(ids.filter((id) => paid.includes(id))).toEqual(paid);
    expect(ids).not.toContain(declined.paymentId);
    expect(ids).not.toContain(waiting.paymentId);
    expect(new Set(ids).size).toBe(ids.length);
    const times = seen.map((p) => p.updatedAt);
    expect([...times].sort()).toEqual(times);
    expect(seen.every((p) => ["succeeded", "partially_refunded", "refunded"].includes(p.status))).toBe(true);
  });

  it("refuses a malformed since or cursor", async () => {
    const h = harness();
    await expect(h.rpc.settledSince({ since: "yesterday" })).rejects.toThrow(/since/);
    await expect(h.rpc.settledSince({ since: new Date().toISOString(), cursor: "!!" })).rejects.toThrow();
  });
});
