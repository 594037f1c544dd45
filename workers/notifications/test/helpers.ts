import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { NotificationMessage, NotificationType } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { bearer, mintToken } from "@shop/testing/worker";
import { vi } from "vitest";
import worker from "../src/index";

export const SMS_URL = "https://sms.test/2010-04-01/Accounts/ACtest/Messages.json";

let counter = 0;

export type TestUser = { id: string; email: string; phone: string | null; name: string; token: string };

/**
 * Registers a real user through the users worker's HTTP API (which answers the same for every
 * email, with no id), finds the account in users' D1, and mints their access token. By default
 * the email and phone are then marked verified, as if the user had followed the link and typed
 * the code; `verified: { email: false }` / `{ phone: false }` keeps a contact unproven.
 */
export async function registerUser(
  opts: { phone?: string | null; name?: string; verified?: { email?: boolean; phone?: boolean } } = {},
): Promise<TestUser> {
  counter += 1;
  const email = `user${Date.now()}${counter}@example.com`;
  // Names are letters only (no digits): the counter is spelled in letters.
  const name = opts.name ?? `Ada ${[...String(counter)].map((d) => "abcdefghij"[Number(d)]).join("")}`;
  const phone = opts.phone === undefined ? `+1415555${String(1000 + counter).slice(-4)}` : opts.phone;
  const res = await env.USERS_HTTP.fetch("https://users/users", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "password123", name, ...(phone ? { phone } : {}) }),
  });
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const at = new Date().toISOString();
  const row = await env.USERS_DB.prepare(
    "UPDATE users SET email_verified = ?1, email_verified_at = CASE WHEN ?1 THEN ?2 END, phone_verified_at = CASE WHEN ?3 AND phone IS NOT NULL THEN ?2 END WHERE email = ?4 RETURNING id",
  )
    .bind(opts.verified?.email === false ? 0 : 1, at, opts.verified?.phone === false ? 0 : 1, email)
    .first<{ id: string }>();
  if (!row) throw new Error(`registered ${email} but found no account`);
  const token = await mintToken(env.TEST_SIGNING_JWK, { sub: row.id, email });
  return { id: row.id, email, phone, name, token };
}

export async function adminToken(): Promise<{ id: string; token: string }> {
  const id = newId("user");
  return { id, token: await mintToken(env.TEST_SIGNING_JWK, { sub: id, role: "admin", email: `${id}@example.com` }) };
}

/** A request to this worker's HTTP app, as the gateway would forward it. */
export function api(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) for (const [k, v] of Object.entries(bearer(init.token))) headers.set(k, v);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  return exports.default.fetch(`https://notifications${path}`, {
    ...init,
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
}

const RETURN_SAMPLE = {
  orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
  number: 10042,
  returnId: "ret_01jd8x3v4k2m9q7r5t6w8y0zab",
  items: [{ name: "Mug", quantity: 1 }],
};

const SAMPLE_DATA: { [T in NotificationType]: Extract<NotificationMessage, { type: T }>["data"] } = {
  "user.registered": { name: "Ada" },
  "user.email_verification": {
    token: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
    expiresAt: "2026-11-30T00:00:00.000Z",
  },
  "user.registration_attempt": {},
  "user.phone_code": { code: "123456", phone: "+14155550123", expiresAt: "2026-11-30T00:00:00.000Z" },
  "order.confirmed": {
    orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
    total: { amount: 4998, currency: "USD" },
    lines: [{ name: "Tea pot", quantity: 2, unitPrice: { amount: 2499, currency: "USD" } }],
  },
  "payment.failed": { orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab", reason: "card declined" },
  "order.shipped": { orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab", carrier: "UPS", trackingNumber: "1Z999AA10123456784" },
  "order.delivered": { orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab" },
  "order.cancelled": { orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab", reason: null },
  "order.refunded": { orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab", amount: 4998, currency: "USD" },
  "order.expired": { orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab" },
  "return.requested": RETURN_SAMPLE,
  "return.approved": RETURN_SAMPLE,
  "return.rejected": { ...RETURN_SAMPLE, reason: "The item was worn." },
  "return.refunded": { ...RETURN_SAMPLE, amount: 2000, currency: "USD" },
  "admin.message": { subject: "News", body: "Hello there" },
};

export function notification<T extends NotificationType>(
  type: T,
  userId: string,
  overrides: Partial<Extract<NotificationMessage, { type: T }>> = {},
): Extract<NotificationMessage, { type: T }> {
  return {
    id: newId("event"),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    userId,
    data: SAMPLE_DATA[type],
    ...overrides,
  } as Extract<NotificationMessage, { type: T }>;
}

/** Hands a batch to the real queue handler, as the platform would, and returns what it acked/retried. */
export async function runQueue(bodies: unknown[], opts: { queue?: string; attempts?: number } = {}) {
  const batch = createMessageBatch(
    opts.queue ?? "notifications",
    bodies.map((body, i) => ({
      id: `q-${Date.now()}-${i}-${Math.random()}`,
      timestamp: new Date(),
      attempts: opts.attempts ?? 1,
      body,
    })),
  );
  // The test runtime's queue result drops delaySeconds, so the retry calls are recorded here.
  const delays: Record<string, number | undefined> = {};
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options?: QueueRetryOptions) => {
      delays[m.id] = options?.delaySeconds;
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, recordingEnv() as never, ctx);
  const result = await getQueueResult(batch, ctx);
  const retried = result.retryMessages.map((r) => ({ msgId: r.msgId, delaySeconds: delays[r.msgId] }));
  return { batch, result: { ...result, retryMessages: retried }, ids: batch.messages.map((m) => m.id) };
}

/**
 * Fakes the SMS provider: answers each call with the next status in `statuses` (the last
 * one repeats); every other fetch goes to the real network stack.
 */
export function fakeSmsApi(statuses: (number | { status: number; headers?: Record<string, string> })[] = [201]) {
  const realFetch = globalThis.fetch;
  const calls: { to: string; body: string; from: string; auth: string | null }[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith("https://sms.test/")) return realFetch(input, init);
    const form = new URLSearchParams(await request.text());
    calls.push({
      to: form.get("To") ?? "",
      body: form.get("Body") ?? "",
      from: form.get("From") ?? "",
      auth: request.headers.get("authorization"),
    });
    const next = statuses[Math.min(calls.length - 1, statuses.length - 1)] ?? 201;
    const { status, headers } = typeof next === "number" ? { status: next, headers: {} } : next;
    const body =
      status < 300
        ? { sid: `SM${calls.length}`, status: "queued" }
        : { code: 30000 + status, message: `provider said ${status}` };
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
  });
  return {
    spy,
    calls,
    sent: () =>
      calls.filter((_, i) => {
        const s = statuses[Math.min(i, statuses.length - 1)] ?? 201;
        return (typeof s === "number" ? s : s.status) < 300;
      }),
  };
}

/** Every email the worker handed to the send_email binding during `runQueue`/`runEmail` calls. */
const outbox: EmailMessage[] = [];

/**
 * The env handed to the handlers: the real bindings, with EMAIL wrapped so each message is
 * recorded before the real binding (which writes it to a local file) sends it.
 */
export function recordingEnv(): Cloudflare.Env {
  const email = {
    send: async (m: EmailMessage) => {
      outbox.push(m);
      return env.EMAIL.send(m);
    },
  };
  return Object.create(env, { EMAIL: { value: email } });
}

/** Starts recording emails for this test; `to(address)` lists what was sent to that address. */
export function spyEmail() {
  outbox.length = 0;
  return { to: (address: string) => outbox.filter((m) => m.to === address), all: outbox };
}

export async function readRaw(message: unknown): Promise<string> {
  const raw = (message as { raw: ReadableStream | string }).raw;
  return typeof raw === "string" ? raw : new Response(raw).text();
}
