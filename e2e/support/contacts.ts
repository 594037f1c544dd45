import { call } from "./http";
import { emailsTo, smsTo } from "./mailbox";
import { eventually } from "./shop";

/**
 * Proving contacts, as a shopper does, over the public API only (ADR 0010): a new account's
 * address gets nothing but its verification link until the link is followed, and SMS goes only
 * to a phone confirmed with the code sent to it. The welcome follows the email's verification.
 */

const LINK = /verify-email\?token=([A-Za-z0-9_-]{43})/;
const CODE = /verification code is (\d{6})/;

/** The token of the verification link mailed to `email` (the newest, if several arrived). */
export function verificationToken(email: string, timeoutMs = 30_000): Promise<string> {
  return eventually(
    async () => {
      const tokens = (await emailsTo(email)).flatMap((m) => {
        const token = LINK.exec(m.text)?.[1] ?? LINK.exec(m.html)?.[1];
        return token ? [token] : [];
      });
      return tokens.at(-1);
    },
    timeoutMs,
    `verification link mailed to ${email}`,
  );
}

/** Follows the link in the verification email (`POST /users/verify-email`). */
export async function verifyEmail(email: string): Promise<void> {
  const token = await verificationToken(email);
  const res = await call("POST", "/users/verify-email", { body: { token } });
  if (res.status !== 200 || res.body?.status !== "verified")
    throw new Error(`verify email ${email} → ${res.status} ${JSON.stringify(res.body)}`);
}

/** Asks for a code by SMS and confirms it: `POST /users/me/phone/verify`, then `…/confirm`. */
export async function verifyPhone(accessToken: string, phone: string): Promise<void> {
  const before = (await smsTo(phone)).length;
  const sent = await call("POST", "/users/me/phone/verify", { token: accessToken });
  if (sent.status !== 202) throw new Error(`phone code for ${phone} → ${sent.status} ${JSON.stringify(sent.body)}`);
  const code = await eventually(
    async () =>
      (await smsTo(phone))
        .slice(before)
        .map((m) => CODE.exec(m.body)?.[1])
        .find(Boolean),
    30_000,
    `verification code sent to ${phone}`,
  );
  const confirmed = await call("POST", "/users/me/phone/confirm", { token: accessToken, body: { code } });
  if (confirmed.status !== 200 || confirmed.body?.status !== "verified")
    throw new Error(`confirm ${phone} → ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
}

/**
 * Verifies the account's phone (if it has one) and then its email, and waits for the welcome
 * that follows (by email, and by SMS to the now verified phone): when this returns, no message
 * of the sign-up is still on its way, so a test that counts messages or arms a fault at the
 * notifications worker meets only its own.
 */
export async function verifyContacts(who: { email: string; accessToken: string }) {
  const me = await call("GET", "/users/me", { token: who.accessToken });
  if (me.status !== 200) throw new Error(`me → ${me.status} ${JSON.stringify(me.body)}`);
  const phone: string | null = me.body.phone;
  if (phone && !me.body.phoneVerified) await verifyPhone(who.accessToken, phone);
  if (!me.body.emailVerified) {
    const smsBefore = phone ? (await smsTo(phone)).length : 0;
    await verifyEmail(who.email);
    await eventually(
      async () => (await emailsTo(who.email)).some((m) => m.subject === "Welcome to Shop"),
      30_000,
      `welcome email to ${who.email}`,
    );
    if (phone)
      await eventually(
        async () => (await smsTo(phone)).slice(smsBefore).some((m) => m.body.startsWith("Welcome to Shop")),
        30_000,
        `welcome SMS to ${phone}`,
      );
  }
  const after = await call("GET", "/users/me", { token: who.accessToken });
  if (after.body?.emailVerified !== true || (phone && after.body?.phoneVerified !== true))
    throw new Error(`contacts of ${who.email} still unverified: ${JSON.stringify(after.body)}`);
  return after.body as { id: string; email: string; phone: string | null };
}
