import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/services/credentials/password";
import { call } from "../helpers";

/** The SQL printed by scripts/seed.mjs (hashed by node:crypto), as `npm start` would run it. */
async function seed() {
  const statements = env.TEST_SEED_SQL.split("\n").filter(Boolean);
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
}

describe("scripts/seed.mjs", () => {
  it("writes hashes the worker verifies, and the seeded accounts can sign in with their roles", async () => {
    await seed();
    const row = await env.DB.prepare("SELECT password_hash AS h FROM users WHERE email = 'admin@shop.local'").first<{
      h: string;
    }>();
    expect(row?.h).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword("admin-pass-2026", row?.h ?? "")).toBe(true);
    expect(await verifyPassword("admin-pass-2027", row?.h ?? "")).toBe(false);

    const admin = await call("POST", "/users/login", {
      body: { email: "admin@shop.local", password: "admin-pass-2026" },
    });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toMatchObject({ user: { role: "admin", email: "admin@shop.local" } });
    const demo = await call("POST", "/users/login", { body: { email: "demo@shop.local", password: "demo-pass-2026" } });
    expect(demo.status).toBe(200);
    expect(await demo.json()).toMatchObject({ user: { role: "customer" } });
  });

  it("seeds verified addresses, so the demo and admin accounts get every email", async () => {
    await seed();
    const { results } = await env.DB.prepare(
      "SELECT email_verified, email_verified_at FROM users WHERE email IN ('admin@shop.local', 'demo@shop.local')",
    ).all<{ email_verified: number; email_verified_at: string | null }>();
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.email_verified).toBe(1);
      expect(r.email_verified_at).toMatch(/^\d{4}-/);
    }
  });

  it("is idempotent: running it again changes nothing", async () => {
    await seed();
    const before = await env.DB.prepare("SELECT id, password_hash FROM users ORDER BY id").all();
    await seed();
    const after = await env.DB.prepare("SELECT id, password_hash FROM users ORDER BY id").all();
    expect(after.results).toEqual(before.results);
    expect(after.results.length).toBeGreaterThanOrEqual(2);
  });
});
