import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { api, fakeSmsApi, notification, registerUser, runQueue, spyEmail, type TestUser } from "../helpers";

afterEach(() => vi.restoreAllMocks());

/** A constructed inbound message, as Email Routing hands it to the worker. */
function inbound(raw: string, envelopeFrom: string) {
  const forward = vi.fn(async (_to: string) => ({ messageId: "fwd" }));
  const message = {
    from: envelopeFrom,
    to: "orders@shop.local",
    raw: new Response(raw.replace(/\r?\n/g, "\r\n")).body,
    rawSize: raw.length,
    headers: new Headers(),
    setReject: vi.fn(),
    forward,
    reply: vi.fn(),
  } as unknown as ForwardableEmailMessage;
  return { message, forward };
}

async function receive(raw: string, envelopeFrom: string) {
  const { message, forward } = inbound(raw, envelopeFrom);
  const ctx = createExecutionContext();
  await worker.email(message, env as never, ctx);
  await waitOnExecutionContext(ctx);
  return forward;
}

async function prefs(user: TestUser) {
  return (await (await api("/notifications/preferences", { token: user.token })).json()) as Record<string, unknown>;
}

/** A user we have already emailed (so their address is known to this service). */
async function emailedUser(): Promise<TestUser> {
  const user = await registerUser();
  fakeSmsApi([201]);
  await runQueue([notification("user.registered", user.id)]);
  vi.restoreAllMocks();
  return user;
}

/** The Message-ID of the last email we sent to `address` (what a real report quotes back). */
async function lastMessageId(address: string): Promise<string> {
  const row = await env.DB.prepare(
    "SELECT provider_id FROM deliveries WHERE recipient = ? AND channel = 'email' ORDER BY id DESC LIMIT 1",
  )
    .bind(address)
    .first<{ provider_id: string }>();
  return row?.provider_id ?? "<none@example.net>";
}

function dsn(recipient: string, messageId: string, action = "failed", status = "5.1.1") {
  return `From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: orders@shop.local
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

This is the mail system. Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; ${recipient}
Original-Recipient: rfc822;${recipient}
Action: ${action}
Status: ${status}
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--b1
Content-Type: text/rfc822-headers

From: Shop <orders@shop.local>
To: ${recipient}
Message-ID: ${messageId}
Subject: Welcome to Shop

--b1--
`;
}

function reply(from: string, subject: string, text: string) {
  return `From: ${from}
To: Shop <orders@shop.local>
Subject: ${subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

${text}
`;
}

describe("inbound email", () => {
  it("a delivery-status bounce marks that user's address undeliverable: email stops, SMS continues", async () => {
    const user = await emailedUser();
    const bystander = await emailedUser();

    const forward = await receive(dsn(user.email, await lastMessageId(user.email)), "<>");
    expect(forward).not.toHaveBeenCalled();
    expect(await prefs(user)).toMatchObject({ emailStatus: "undeliverable" });
    expect(await prefs(bystander)).toMatchObject({ emailStatus: "ok" });

    const sms = fakeSmsApi([201]);
    const email = spyEmail();
    await runQueue([notification("order.confirmed", user.id)]);
    expect(email.to(user.email)).toHaveLength(0);
    expect(sms.calls).toHaveLength(1);
  });

  it("a delayed (not failed) report changes nothing", async () => {
    const user = await emailedUser();
    const forward = await receive(dsn(user.email, await lastMessageId(user.email), "delayed", "4.4.7"), "");
    expect(forward).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
    expect(await prefs(user)).toMatchObject({ emailStatus: "ok" });
  });

  it("a typical mailer-daemon bounce without a report part also counts", async () => {
    const user = await emailedUser();
    const raw = reply(
      "MAILER-DAEMON@mx.example.net",
      "Delivery Status Notification (Failure)",
      `Your message to ${user.email} couldn't be delivered: the address was not found.\n\nIn-Reply-To: ${await lastMessageId(user.email)}`,
    );
    const forward = await receive(raw, "mailer-daemon@mx.example.net");
    expect(forward).not.toHaveBeenCalled();
    expect(await prefs(user)).toMatchObject({ emailStatus: "undeliverable" });
  });

  it("a bounce for an address we never emailed changes nothing and goes to support", async () => {
    const forward = await receive(dsn("nobody-we-know@example.org", "<ntf_01jd8x3v4k2m9q7r5t6w8y0zzz@shop.local>"), "");
    expect(forward).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
    const row = await env.DB.prepare("SELECT 1 FROM undeliverable_addresses WHERE address = ?")
      .bind("nobody-we-know@example.org")
      .first();
    expect(row).toBeNull();
  });

  it("a forged report that does not quote our Message-ID for that address changes nothing", async () => {
    const user = await emailedUser();
    const other = await emailedUser();
    const noId = await receive(dsn(user.email, "<made-up@example.net>"), "");
    expect(noId).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
    // Quoting a real Message-ID of ours, but one sent to someone else, does not work either.
    const wrongId = await receive(dsn(user.email, await lastMessageId(other.email)), "");
    expect(wrongId).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
    expect(await prefs(user)).toMatchObject({ emailStatus: "ok" });
    expect(await prefs(other)).toMatchObject({ emailStatus: "ok" });
  });

  it("our Message-IDs carry a secret: the delivery id alone, or with a forged secret, changes nothing", async () => {
    const user = await emailedUser();
    const real = await lastMessageId(user.email);
    expect(real).toMatch(/^<ntf_[0-9a-z]{26}\.[A-Za-z0-9_-]{22}@shop\.local>$/);
    // The delivery id is no secret (the user's own delivery log lists it); the part after it is.
    const deliveryId = real.slice(1, real.indexOf("."));
    const forgedSecret = `<${deliveryId}.${"A".repeat(22)}@shop.local>`;
    const bareId = `<${deliveryId}@shop.local>`;
    for (const quoted of [forgedSecret, bareId]) {
      const forward = await receive(dsn(user.email, quoted), "");
      expect(forward, quoted).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
    }
    expect(await prefs(user)).toMatchObject({ emailStatus: "ok" });
  });

  it('an "unsubscribe" reply from the user\'s own address turns their optional messages off', async () => {
    const user = await emailedUser();
    const bystander = await emailedUser();

    const forward = await receive(
      reply(`Ada <${user.email}>`, "Re: Welcome to Shop", "unsubscribe\n\n> Hi Ada,"),
      user.email,
    );

    expect(forward).not.toHaveBeenCalled();
    expect(await prefs(user)).toMatchObject({ emailOptional: false, emailTransactional: true, emailStatus: "ok" });
    expect(await prefs(bystander)).toMatchObject({ emailOptional: true });
  });

  it('"STOP" in the subject works too', async () => {
    const user = await emailedUser();
    await receive(reply(user.email, "STOP", "please"), user.email);
    expect(await prefs(user)).toMatchObject({ emailOptional: false });
  });

  it("an unsubscribe from an address that is not a user's changes nothing", async () => {
    const user = await emailedUser();
    const stranger = await receive(
      reply("stranger@elsewhere.example", "unsubscribe", "unsubscribe"),
      "stranger@elsewhere.example",
    );
    expect(stranger).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
    // A forged From header naming the user, sent from another envelope address, changes nothing either.
    const forged = await receive(reply(user.email, "unsubscribe", "unsubscribe"), "stranger@elsewhere.example");
    expect(forged).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
    expect(await prefs(user)).toMatchObject({ emailOptional: true, emailStatus: "ok" });
  });

  it("anything else is forwarded to support unchanged", async () => {
    const user = await emailedUser();
    const forward = await receive(reply(user.email, "Where is my order?", "It has not arrived yet."), user.email);
    expect(forward).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
    expect(await prefs(user)).toMatchObject({ emailOptional: true, emailStatus: "ok" });
  });

  it("unparseable input is forwarded, never thrown", async () => {
    const forward = await receive("\u0000\u0001 not a mail", "someone@example.com");
    expect(forward).toHaveBeenCalledWith(env.SUPPORT_ADDRESS);
  });
});
