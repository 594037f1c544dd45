import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, fakeSmsApi, notification, registerUser, runQueue, spyEmail } from "../helpers";

afterEach(() => vi.restoreAllMocks());

/** This isolate's D1 round trips so far, as the armed harness counts them for the benchmark. */
async function isolateTrips(): Promise<number> {
  const res = await exports.default.fetch("https://notifications/__meters");
  if (res.status !== 200) throw new Error("no /__meters (is the harness armed?)");
  return ((await res.json()) as { d1RoundTrips: number }).d1RoundTrips;
}

async function deliveriesOf(messageId: string) {
  const { results } = await env.DB.prepare(
    "SELECT channel, status, retryable FROM deliveries WHERE message_id = ? ORDER BY channel",
  )
    .bind(messageId)
    .all<{ channel: string; status: string; retryable: number }>();
  return results;
}

/** The D1 round trips the consumer makes for one queue delivery of `message`. */
async function tripsOf(message: unknown, attempts = 1): Promise<{ trips: number; acked: boolean }> {
  const before = await isolateTrips();
  const { result, ids } = await runQueue([message], { attempts });
  return { trips: (await isolateTrips()) - before, acked: result.explicitAcks.includes(ids[0] ?? "") };
}

/**
 * What an order confirmation costs in D1 (ADR 0023 counts it in "D1 trips per order"): one
 * batch that reads the user's choices and claims every due channel (with the SMS's admission
 * under the caps), and one that records the sends — however many channels.
 */
describe("D1 round trips per notification", () => {
  it("an order confirmation by email and SMS: 2, and a redelivery 1 that sends nothing", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi([201]);
    const email = spyEmail();
    const message = notification("order.confirmed", user.id);

    expect(await tripsOf(message)).toEqual({ trips: 2, acked: true });
    expect(sms.calls).toHaveLength(1);
    expect(email.to(user.email)).toHaveLength(1);

    expect(await tripsOf(message, 2)).toEqual({ trips: 1, acked: true });
    expect(sms.calls).toHaveLength(1);
    expect(email.to(user.email)).toHaveLength(1);
  });

  it("an order confirmation by email only (an unverified address, no phone, as a new shopper): 2", async () => {
    const user = await registerUser({ phone: null, verified: { email: false } });
    const email = spyEmail();
    expect(await tripsOf(notification("order.confirmed", user.id))).toEqual({ trips: 2, acked: true });
    expect(email.to(user.email)).toHaveLength(1);
  });

  it("a message no channel is allowed for costs nothing", async () => {
    const user = await registerUser({ phone: null, verified: { email: false } });
    const email = spyEmail();
    // A welcome is not sent to an unverified address, and there is no phone.
    expect(await tripsOf(notification("user.registered", user.id))).toEqual({ trips: 0, acked: true });
    expect(email.all).toEqual([]);
  });

  it("a retried SMS (its claim taken over) is admitted under the caps once more at most, in one extra trip", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi([503, 503, 503, 201]);
    const email = spyEmail();
    const message = notification("order.confirmed", user.id);

    const first = await tripsOf(message);
    expect(first).toEqual({ trips: 2, acked: false });
    // The email is recorded sent although the SMS failed in the same attempt.
    expect(await deliveriesOf(message.id)).toMatchObject([
      { channel: "email", status: "sent" },
      { channel: "sms", status: "failed", retryable: 1 },
    ]);

    // The claim batch, the taken-over claim's admission, the record.
    expect(await tripsOf(message, 2)).toEqual({ trips: 3, acked: true });
    expect(sms.sent()).toHaveLength(1);
    expect(email.to(user.email)).toHaveLength(1);
    const { results } = await env.DB.prepare(
      "SELECT count(*) AS c FROM sms_sends WHERE delivery_id = (SELECT id FROM deliveries WHERE message_id = ? AND channel = 'sms')",
    )
      .bind(message.id)
      .all<{ c: number }>();
    expect(results[0]?.c).toBe(1);
  });

  it("the claim itself honours the user's choices: SMS turned off after a failed attempt is not sent again", async () => {
    const user = await registerUser();
    const sms = fakeSmsApi([503]);
    const message = notification("order.confirmed", user.id);
    expect((await runQueue([message])).result.retryMessages).toHaveLength(1);
    expect(sms.calls).toHaveLength(3);

    const off = await api("/notifications/preferences", { method: "PUT", token: user.token, json: { sms: false } });
    expect(off.status).toBe(200);
    const again = await tripsOf(message, 2);
    expect(again).toEqual({ trips: 1, acked: true });
    expect(sms.calls).toHaveLength(3);
    expect(await deliveriesOf(message.id)).toMatchObject([
      { channel: "email", status: "sent" },
      { channel: "sms", status: "failed", retryable: 1 },
    ]);
  });
});
