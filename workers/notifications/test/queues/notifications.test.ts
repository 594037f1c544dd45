import { env } from "cloudflare:workers";
import { newId } from "@shop/runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, fakeSmsApi, notification, registerUser, runQueue, spyEmail } from "../helpers";

afterEach(() => vi.restoreAllMocks());

async function deliveriesOf(messageId: string) {
  const { results } = await env.DB.prepare(
    "SELECT channel, status, retryable, attempts, error FROM deliveries WHERE message_id = ? ORDER BY channel",
  )
    .bind(messageId)
    .all<{ channel: string; status: string; retryable: number; attempts: number; error: string | null }>();
  return results;
}

describe("notifications consumer", () => {
  it("the same message delivered three times sends exactly one email and one SMS", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi([201]);
    const email = spyEmail();
    const message = notification("order.shipped", user.id);

    for (let i = 0; i < 3; i++) {
      const { result, ids } = await runQueue([message], { attempts: i + 1 });
      expect(result.explicitAcks).toEqual(ids);
      expect(result.retryMessages).toEqual([]);
    }

    expect(email.to(user.email)).toHaveLength(1);
    expect(sms.calls).toHaveLength(1);
    expect(sms.calls[0]).toMatchObject({ to: user.phone, from: env.SMS_FROM });
    expect(sms.calls[0]?.body).toContain("1Z999AA10123456784");
    expect(sms.calls[0]?.auth).toBe(`Basic ${btoa("ACtest:test-token")}`);
    expect(await deliveriesOf(message.id)).toMatchObject([
      { channel: "email", status: "sent" },
      { channel: "sms", status: "sent" },
    ]);
  });

  it("duplicates inside one batch still send once", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi([201]);
    const email = spyEmail();
    const message = notification("order.delivered", user.id);

    const first = await runQueue([message, message, message]);
    // Copies that found the claim taken while it was being sent come back later and find it sent.
    await runQueue(
      first.result.retryMessages.map(() => message),
      { attempts: 2 },
    );

    expect(email.to(user.email)).toHaveLength(1);
    expect(sms.calls).toHaveLength(1);
  });

  it("SMS answering 500, 500, then 200 is retried with backoff and sent once", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi([500, 500, 201]);
    const message = notification("order.confirmed", user.id);

    const { result, ids } = await runQueue([message]);

    expect(result.explicitAcks).toEqual(ids);
    expect(sms.calls).toHaveLength(3);
    expect(sms.sent()).toHaveLength(1);
    expect(await deliveriesOf(message.id)).toMatchObject([
      { channel: "email", status: "sent" },
      { channel: "sms", status: "sent" },
    ]);
  });

  it("SMS answering 400 is recorded failed and never retried, while the email still goes", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi([400]);
    const email = spyEmail();
    const message = notification("payment.failed", user.id);

    const { result, ids } = await runQueue([message]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    // A redelivery does not try the provider again either.
    await runQueue([message], { attempts: 2 });

    expect(sms.calls).toHaveLength(1);
    expect(email.to(user.email)).toHaveLength(1);
    const rows = await deliveriesOf(message.id);
    expect(rows[1]).toMatchObject({ channel: "sms", status: "failed", retryable: 0 });
    expect(rows[1]?.error).toContain("400");
  });

  it("an SMS API that keeps failing makes the queue retry only that message, with growing delays, without re-sending the email", async () => {
    const user = await registerUser();
    const other = await registerUser();
    const sms = fakeSmsApi([503]);
    const email = spyEmail();
    const failing = notification("order.refunded", user.id);
    const fine = notification("order.delivered", other.id, { channels: ["email"] });

    const first = await runQueue([failing, fine]);
    expect(first.result.explicitAcks).toEqual([first.ids[1]]);
    expect(first.result.retryMessages).toEqual([{ msgId: first.ids[0], delaySeconds: 10 }]);

    const second = await runQueue([failing], { attempts: 2 });
    expect(second.result.retryMessages).toEqual([{ msgId: second.ids[0], delaySeconds: 20 }]);

    expect(sms.calls).toHaveLength(6); // 3 bounded attempts per delivery
    expect(email.to(user.email)).toHaveLength(1);
    expect(email.to(other.email)).toHaveLength(1);
    expect((await deliveriesOf(failing.id))[1]).toMatchObject({ status: "failed", retryable: 1, attempts: 2 });
  });

  it("a Retry-After longer than the inline budget is honoured by the queue delay", async () => {
    const user = await registerUser();
    fakeSmsApi([{ status: 429, headers: { "retry-after": "120" } }]);
    const { result, ids } = await runQueue([notification("order.expired", user.id)]);
    expect(result.retryMessages).toEqual([{ msgId: ids[0], delaySeconds: 120 }]);
  });

  it("the words about the money reach the customer: the SMS for a late payment on an expired order says it is refunded", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi([201]);
    const email = spyEmail();
    const orderId = "ord_01jd8x3v4k2m9q7r5t6w8y0zab";
    const message = notification("order.expired", user.id, { data: { orderId, payment: "refunding" } });

    const { result, ids } = await runQueue([message]);
    expect(result.explicitAcks).toEqual(ids);
    expect(email.to(user.email)).toHaveLength(1);
    // (The email's words are asserted on the rendered parts in test/templates/money.test.ts.)
    expect(sms.calls[0]?.body).toBe(
      `Shop: order ${orderId} expired before it was paid. Your payment arrived late and is being refunded in full; nothing to do.`,
    );
  });

  it("honours SMS turned off: email only", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi();
    const email = spyEmail();
    expect(
      (await api("/notifications/preferences", { method: "PUT", token: user.token, json: { sms: false } })).status,
    ).toBe(200);

    await runQueue([notification("order.cancelled", user.id)]);

    expect(sms.calls).toHaveLength(0);
    expect(email.to(user.email)).toHaveLength(1);
  });

  it("a user without a phone gets email only", async () => {
    const user = await registerUser({ phone: null });
    const sms = fakeSmsApi();
    const email = spyEmail();
    const message = notification("user.registered", user.id);

    const { result, ids } = await runQueue([message]);

    expect(result.explicitAcks).toEqual(ids);
    expect(sms.calls).toHaveLength(0);
    expect(email.to(user.email)).toHaveLength(1);
    expect(await deliveriesOf(message.id)).toMatchObject([{ channel: "email", status: "sent" }]);
  });

  it("optional messages respect the opt-out; transactional email does not", async () => {
    const user = await registerUser({ phone: null });
    const email = spyEmail();
    await api("/notifications/preferences", { method: "PUT", token: user.token, json: { emailOptional: false } });

    await runQueue([notification("admin.message", user.id), notification("order.confirmed", user.id)]);

    expect(email.to(user.email)).toHaveLength(1);
    expect(email.to(user.email)[0]?.from).toBe("orders@shop.local");
  });

  it("a message's own channel list narrows the channels", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi();
    const email = spyEmail();
    await runQueue([notification("admin.message", user.id, { channels: ["sms"] })]);
    expect(sms.calls).toHaveLength(1);
    expect(email.to(user.email)).toHaveLength(0);
  });

  it("a malformed message becomes a dead-letter record and does not crash the batch", async () => {
    const user = await registerUser({ phone: null });
    const email = spyEmail();
    const good = notification("order.delivered", user.id);
    const bad = { id: "evt_bad", type: "order.shipped", userId: user.id, data: { orderId: 42 } };

    const { result, ids } = await runQueue(["not json at all", bad, good]);

    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(result.retryMessages).toEqual([]);
    expect(email.to(user.email)).toHaveLength(1);
    const { results } = await env.DB.prepare(
      "SELECT source, message_id, reason FROM dead_letters WHERE dedupe_key IN (?, ?)",
    )
      // The shared key: `<queue>:<message id>`, the delivery id for a body without one.
      .bind(`notifications:${ids[0]}`, "notifications:evt_bad")
      .all<{ source: string; message_id: string | null; reason: string }>();
    expect(results).toHaveLength(2);
    expect(results.every((r) => r.source === "malformed")).toBe(true);
    expect(results.find((r) => r.message_id === "evt_bad")?.reason).toContain("data.orderId");
  });

  it("a message for an unknown user is dead-lettered, not retried forever", async () => {
    const message = notification("order.delivered", "usr_01jd8x3v4k2m9q7r5t6w8y0zzz");
    const { result, ids } = await runQueue([message]);
    expect(result.explicitAcks).toEqual(ids);
    const row = await env.DB.prepare("SELECT source FROM dead_letters WHERE message_id = ?").bind(message.id).first();
    expect(row).toEqual({ source: "unknown_user" });
  });

  it("a crashed send left pending is taken over only after the claim went stale", async () => {
    const user = await registerUser({ phone: null });
    const email = spyEmail();
    const message = notification("order.delivered", user.id);
    const insert = (claimedAt: number) =>
      env.DB.prepare(
        "INSERT INTO deliveries (id, message_id, channel, user_id, type, status, recipient, claimed_at, created_at, updated_at) VALUES (?, ?, 'email', ?, ?, 'pending', ?, ?, ?, ?)",
      )
        .bind(newId("notification"), message.id, user.id, message.type, user.email, claimedAt, claimedAt, claimedAt)
        .run();
    await insert(Date.now());

    const fresh = await runQueue([message]);
    expect(fresh.result.retryMessages).toHaveLength(1);
    expect(email.to(user.email)).toHaveLength(0);

    await env.DB.prepare("UPDATE deliveries SET claimed_at = ? WHERE message_id = ?")
      .bind(Date.now() - 10 * 60_000, message.id)
      .run();
    const stale = await runQueue([message], { attempts: 2 });
    expect(stale.result.explicitAcks).toEqual(stale.ids);
    expect(email.to(user.email)).toHaveLength(1);
  });
});
