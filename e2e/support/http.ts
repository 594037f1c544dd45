import { currentSystem } from "./modes";

/** The gateway of the system the running suite uses (see modes.ts). */
export const baseUrl = () => currentSystem().url;

// biome-ignore lint/suspicious/noExplicitAny: tests assert response bodies field by field
export type Call = { status: number; headers: Headers; body: any };

/** One HTTP call through the gateway (or `base`, a system of a test's own); JSON in, JSON (or text) out. */
export async function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; base?: string } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${opts.base ?? baseUrl()}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, headers: res.headers, body };
}

export const uniqueEmail = (tag: string) =>
  `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

export const ADMIN = { email: "admin@shop.local", password: process.env.SHOP_ADMIN_PASSWORD ?? "admin-pass-2026" };
export const DEMO = { email: "demo@shop.local", password: process.env.SHOP_DEMO_PASSWORD ?? "demo-pass-2026" };

export async function login(who: {
  email: string;
  password: string;
}): Promise<{ accessToken: string; refreshToken: string; user: { id: string } }> {
  const res = await call("POST", "/users/login", { body: who });
  if (res.status !== 200) throw new Error(`login ${who.email} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function registerAndLogin(tag: string, extra: { phone?: string } = {}) {
  const email = uniqueEmail(tag);
  const password = "correct-horse-42";
  // A person's name holds letters only (no digits, no "word.word"): the tag's words stand in.
  const name = `Tester ${tag.replace(/[^A-Za-z]+/g, " ").trim()}`.trim();
  // 202 whether or not the address was taken (the answer tells nobody who is registered);
  // sign-in works before the address is verified (support/contacts.ts verifies it).
  const reg = await call("POST", "/users", { body: { email, password, name, ...extra } });
  if (reg.status !== 202 || reg.body?.status !== "pending_verification")
    throw new Error(`register → ${reg.status} ${JSON.stringify(reg.body)}`);
  return { email, password, ...(await login({ email, password })) };
}
