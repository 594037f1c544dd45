import { describe, expect, it } from "vitest";
import { type Call, call, login } from "../support/http";
import { emailsTo, smsTo } from "../support/mailbox";
import { eventually } from "../support/shop";
import { fromClient, newClientIp, signIn, signUp, sleep } from "./support";

/** Registration must not tell an outsider whether an address has an account, nor send SMS to unverified numbers. */

/** Response headers whose value differs per request by design. */
const VOLATILE = new Set(["date", "x-request-id", "server-timing", "content-length", "traceparent"]);

/** The shape of a JSON value: same keys and types, values blanked. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v)]),
    );
  }
  return typeof value;
}

/** What an outsider can compare between two answers, with the submitted address blanked. */
function observable(res: Call, email: string) {
  const pairs: [string, string][] = [];
  res.headers.forEach((v, k) => {
    pairs.push([k, v]);
  });
  const headers = Object.fromEntries(
    pairs
      .filter(([k]) => !VOLATILE.has(k.toLowerCase()))
      .map(([k, v]) => [k.toLowerCase(), k.toLowerCase() === "location" ? "<present>" : v]),
  );
  const text = JSON.stringify(res.body).split(email).join("<email>");
  return { status: res.status, headers, shape: shape(JSON.parse(text)) };
}

/** Two new addresses of the same length, so not even the body length tells them apart. */
const pairOfEmails = (tag: string) => {
  const stamp = `${Date.now()}${Math.random().toString(36).slice(2, 8).padEnd(6, "0")}`;
  return [`${tag}-a-${stamp}@example.com`, `${tag}-b-${stamp}@example.com`] as const;
};

const uniquePhone = () => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;

describe("security: registration", () => {
  it("answers a taken email exactly as a new one, and changes nothing about the taken account", async () => {
    const [taken, fresh] = pairOfEmails("enum");
    const owner = { email: taken, password: "correct-horse-42", name: "Original Owner" };
    const first = await call("POST", "/users", { body: owner, headers: fromClient(newClientIp()) });
    expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);

    const attempt = { password: "attacker-pass-99", name: "Someone Else" };
    const again = await call("POST", "/users", {
      body: { ...attempt, email: taken },
      headers: fromClient(newClientIp()),
    });
    const brandNew = await call("POST", "/users", {
      body: { ...attempt, email: fresh },
      headers: fromClient(newClientIp()),
    });
    expect(brandNew.status, JSON.stringify(brandNew.body)).toBeLessThan(300);
    expect(observable(again, taken)).toEqual(observable(brandNew, fresh));

    // Nothing changed: the owner's password still works, the second one does not, the name stays.
    const ownerLogin = await signIn(owner, newClientIp());
    expect(ownerLogin.status).toBe(200);
    const intruder = await signIn({ email: taken, password: attempt.password }, newClientIp());
    expect(intruder.status).toBe(401);
    const me = await call("GET", "/users/me", { token: ownerLogin.body.accessToken });
    expect(me.body.name).toBe("Original Owner");
  });

  it("tells the owner of a taken address that someone tried to register with it", async () => {
    const owner = await signUp("tried-register");
    // The first mail(s) of a registration, so the attempt's mail is told apart by count.
    await eventually(async () => (await emailsTo(owner.email)).length || false, 30_000, "first email");
    await sleep(3_000);
    const initial = (await emailsTo(owner.email)).length;
    await call("POST", "/users", {
      body: { email: owner.email, password: "attacker-pass-99", name: "Someone Else" },
      headers: fromClient(newClientIp()),
    });
    const after = await eventually(
      async () => {
        const mails = await emailsTo(owner.email);
        return mails.length > initial ? mails : false;
      },
      30_000,
      "an email about the attempt",
    );
    expect(after.length).toBe(initial + 1);
  });

  it("registering with an unverified phone sends no SMS", async () => {
    const phone = uniquePhone();
    const account = await signUp("sms-pump", { phone });
    // The registration's notifications were processed once its email went out; give any SMS
    // of the same message a moment longer to reach the sink.
    await eventually(async () => (await emailsTo(account.email)).length > 0, 30_000, "the registration email");
    await sleep(3_000);
    expect(await smsTo(phone)).toEqual([]);

    // Nothing pending either: the account's own delivery log names no SMS.
    const { accessToken } = await login(account);
    const log = await call("GET", "/notifications", { token: accessToken });
    expect(log.status).toBe(200);
    const items: { channel?: string }[] = log.body.items ?? [];
    expect(items.filter((n) => n.channel === "sms")).toEqual([]);
  });

  it("a burst of sign-ups with premium-rate style numbers sends no SMS at all", async () => {
    const phones = Array.from({ length: 5 }, uniquePhone);
    const accounts = await Promise.all(phones.map((phone, i) => signUp(`sms-burst-${i}`, { phone })));
    await eventually(
      async () => (await Promise.all(accounts.map((a) => emailsTo(a.email)))).every((m) => m.length > 0),
      30_000,
      "every registration email",
    );
    await sleep(3_000);
    const sent = (await Promise.all(phones.map(smsTo))).flat();
    expect(sent).toEqual([]);
  });
});
