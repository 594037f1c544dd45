import { env, exports } from "cloudflare:workers";
import type { TokenPair, User } from "@shop/contracts";
import { bearer } from "@shop/testing/worker";
import { expect } from "vitest";

const ORIGIN = "https://users.internal";

/** A request to this worker's HTTP app, JSON in. */
export function call(
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...(opts.token ? bearer(opts.token) : {}), ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { method, headers, body }));
}

let counter = 0;
/** A unique, valid email per call (tests share one database per file). */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.com`;
}

export const PASSWORD = "correct-horse-42";

export async function registerUser(overrides: Partial<{ email: string; name: string; phone: string }> = {}) {
  const email = overrides.email ?? uniqueEmail();
  const res = await call("POST", "/users", {
    body: {
      email,
      password: PASSWORD,
      name: overrides.name ?? "Ada Lovelace",
      ...(overrides.phone ? { phone: overrides.phone } : {}),
    },
  });
  // The answer is the same for every email (no id): the account is looked up in D1.
  expect(res.status).toBe(202);
  expect(await res.json()).toEqual({ status: "pending_verification" });
  return { email, user: await userByEmail(email) };
}

/** The account with `email`, in its public shape, read straight from D1. */
export async function userByEmail(email: string): Promise<User> {
  const row = await env.DB.prepare(
    "SELECT id, email, name, phone, role, email_verified, phone_verified_at, created_at, updated_at FROM users WHERE email = ?",
  )
    .bind(email.toLowerCase())
    .first<Record<string, string | number | null>>();
  if (!row) throw new Error(`no account for ${email}`);
  return {
    id: String(row.id),
    email: String(row.email),
    name: String(row.name),
    phone: row.phone === null ? null : String(row.phone),
    role: row.role as User["role"],
    emailVerified: row.email_verified === 1,
    phoneVerified: row.phone_verified_at !== null && row.phone !== null,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

export async function loginUser(email: string, password = PASSWORD): Promise<TokenPair> {
  const res = await call("POST", "/users/login", { body: { email, password } });
  expect(res.status).toBe(200);
  return (await res.json()) as TokenPair;
}

/** A signed-in customer. */
export async function signedInCustomer() {
  const { email, user } = await registerUser();
  return { email, user, tokens: await loginUser(email) };
}

/** A signed-in admin: promoted directly in D1 (there is no API to become admin), then signed in. */
export async function signedInAdmin() {
  const { email, user } = await registerUser();
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(user.id).run();
  return { email, user, tokens: await loginUser(email) };
}

/** Asserts a problem+json answer with `status`, and returns its body. */
export async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as { code: string; detail?: string; errors?: { path: string; message: string }[] };
}
