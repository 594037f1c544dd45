import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeSmsApi, notification, registerUser, runQueue, spyEmail } from "../helpers";

afterEach(() => vi.restoreAllMocks());

async function deliveriesOf(messageId: string) {
  const { results } = await env.DB.prepare(
    "SELECT channel, status, retryable, recipient, error FROM deliveries WHERE message_id = ? ORDER BY channel",
  )
    .bind(messageId)
    .all<{ channel: string; status: string; retryable: number; recipient: string; error: string | null }>();
  return results;
}

let n = 0;
/** A fresh number per call (caps count per number), in the UK's +44. */
const freshPhone = () => `+447700${String(Date.now()).slice(-5)}${String(++n).padStart(2, "0")}`;

describe("SMS only to a verified phone", () => {
  it("a receipt to a user whose phone is not verified goes by email only", async () => {
    const user = await registerUser({ phone: freshPhone(), verified: { phone: false } });
    const sms = fakeSmsApi([201]);
    const email = spyEmail();
    const message = notification("order.shipped", user.id);
    const { result, ids } = await runQueue([message]);
    expect(result.explicitAcks).toEqual(ids);
    expect(sms.calls).toEqual([]);
    expect(email.to(user.email)).toHaveLength(1);
    expect((await deliveriesOf(message.id)).map((d) => d.channel)).toEqual(["email"]);
  });

  it("a message asking for SMS only sends nothing to an unverified phone", async () => {
    const user = await registerUser({ phone: freshPhone(), verified: { phone: false } });
    const sms = fakeSmsApi([201]);
    await runQueue([notification("order.delivered", user.id, { channels: ["sms"] })]);
    expect(sms.calls).toEqual([]);
  });

  it("the same receipt reaches a verified phone", async () => {
    const user = await registerUser({ phone: freshPhone() });
    const sms = fakeSmsApi([201]);
    await runQueue([notification("order.delivered", user.id)]);
    expect(sms.calls.map((c) => c.to)).toEqual([user.phone]);
  });

  it("the verification code goes to the unverified number being verified, by SMS only", async () => {
    const user = await registerUser({ phone: freshPhone(), verified: { phone: false } });
    const sms = fakeSmsApi([201]);
    const email = spyEmail();
    const message = notification("user.phone_code", user.id, {
      channels: ["sms"],
      data: { code: "482913", phone: user.phone ?? "", expiresAt: new Date().toISOString() },
    });
    await runQueue([message]);
    expect(sms.calls).toHaveLength(1);
    expect(sms.calls[0]).toMatchObject({ to: user.phone });
    expect(sms.calls[0]?.body).toContain("482913");
    expect(sms.calls[0]?.body).not.toContain(user.name);
    expect(email.all).toEqual([]);
  });

  it("a code for a number that is not the account's (any more) is not sent", async () => {
    const user = await registerUser({ phone: freshPhone(), verified: { phone: false } });
    const sms = fakeSmsApi([201]);
    const message = notification("user.phone_code", user.id, {
      data: { code: "482913", phone: "+19005550100", expiresAt: new Date().toISOString() },
    });
    const { result, ids } = await runQueue([message]);
    expect(result.explicitAcks).toEqual(ids);
    expect(sms.calls).toEqual([]);
  });
});

describe("email to an unverified address", () => {
  it("gets the verification link", async () => {
    const user = await registerUser({ phone: null, verified: { email: false } });
    const email = spyEmail();
    const message = notification("user.email_verification", user.id, { channels: ["email"] });
    await runQueue([message]);
    expect(email.to(user.email)).toHaveLength(1);
    expect(await deliveriesOf(message.id)).toEqual([
      expect.objectContaining({ channel: "email", status: "sent", recipient: user.email }),
    ]);
  });

  it("gets receipts but not the welcome or admin messages", async () => {
    const user = await registerUser({ phone: null, verified: { email: false } });
    const email = spyEmail();
    const welcome = notification("user.registered", user.id);
    const admin = notification("admin.message", user.id);
    const receipt = notification("order.confirmed", user.id);
    const { result, ids } = await runQueue([welcome, admin, receipt]);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(email.to(user.email)).toHaveLength(1);
    expect(await deliveriesOf(welcome.id)).toEqual([]);
    expect(await deliveriesOf(admin.id)).toEqual([]);
    expect((await deliveriesOf(receipt.id)).map((d) => d.channel)).toEqual(["email"]);
  });

  it("the same welcome reaches the address once it is verified", async () => {
    const user = await registerUser({ phone: null });
    const email = spyEmail();
    await runQueue([notification("user.registered", user.id)]);
    expect(email.to(user.email)).toHaveLength(1);
  });

  it("gets the registration warning", async () => {
    const user = await registerUser({ phone: null, verified: { email: false } });
    const email = spyEmail();
    await runQueue([notification("user.registration_attempt", user.id, { channels: ["email"] })]);
    expect(email.to(user.email)).toHaveLength(1);
  });
});

describe("SMS send caps", () => {
  it("a sixth SMS to one number within the hour is recorded as capped, not sent and not retried", async () => {
    const user = await registerUser({ phone: freshPhone() });
    const sms = fakeSmsApi([201]);
    const messages = Array.from({ length: 6 }, () => notification("order.delivered", user.id, { channels: ["sms"] }));
    for (const m of messages.slice(0, 5)) await runQueue([m]);
    expect(sms.calls).toHaveLength(5);

    const last = messages[5];
    if (!last) throw new Error("no sixth message");
    const { result, ids } = await runQueue([last]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    expect(sms.calls).toHaveLength(5);
    expect(await deliveriesOf(last.id)).toEqual([
      expect.objectContaining({
        channel: "sms",
        status: "failed",
        retryable: 0,
        error: expect.stringMatching(/capped/),
      }),
    ]);
    // Redelivered, it stays capped and unsent.
    await runQueue([last], { attempts: 2 });
    expect(sms.calls).toHaveLength(5);
  });
});
