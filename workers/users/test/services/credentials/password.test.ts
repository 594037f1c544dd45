import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  hashPassword,
  PBKDF2_ITERATIONS,
  PBKDF2_MAX_ITERATIONS,
  verifyPassword,
} from "../../../src/services/credentials/password";
import { registerUser } from "../../helpers";

describe("password hashes", () => {
  it("use at most 100,000 PBKDF2 iterations: production Workers refuse more", () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(PBKDF2_MAX_ITERATIONS).toBeLessThanOrEqual(100_000);
  });

  it("are stored as pbkdf2-sha256$100000$salt$hash with a per-user salt", async () => {
    const a = await registerUser();
    const b = await registerUser();
    const rows = await env.DB.prepare("SELECT password_hash AS h FROM users WHERE id IN (?, ?)")
      .bind(a.user.id, b.user.id)
      .all<{ h: string }>();
    const parts = rows.results.map((r) => r.h.split("$"));
    expect(parts).toHaveLength(2);
    for (const [scheme, iterations, salt, hash] of parts) {
      expect(scheme).toBe("pbkdf2-sha256");
      expect(Number(iterations)).toBe(PBKDF2_ITERATIONS);
      expect(Number(iterations)).toBeLessThanOrEqual(100_000);
      expect(atob(salt ?? "")).toHaveLength(16);
      expect(atob(hash ?? "")).toHaveLength(32);
    }
    // Same password, different salt → different hashes.
    expect(parts[0]?.[2]).not.toBe(parts[1]?.[2]);
    expect(parts[0]?.[3]).not.toBe(parts[1]?.[3]);
  });

  it("verify the right password and refuse a wrong one", async () => {
    const stored = await hashPassword("s3cret-password");
    expect(await verifyPassword("s3cret-password", stored)).toBe(true);
    expect(await verifyPassword("s3cret-passwore", stored)).toBe(false);
  });

  it("read the iteration count from the stored string, so the cost can change later", async () => {
    const cheaper = await hashPassword("s3cret-password", 1_000);
    expect(cheaper.split("$")[1]).toBe("1000");
    expect(await verifyPassword("s3cret-password", cheaper)).toBe(true);
  });

  it.each([
    ["another scheme", "bcrypt$10$abc$def"],
    ["too many iterations for Workers", "pbkdf2-sha256$100001$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"],
    ["a non-numeric count", "pbkdf2-sha256$lots$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"],
    ["bad base64", "pbkdf2-sha256$1000$***$***"],
    ["missing parts", "pbkdf2-sha256$1000"],
    ["an empty string", ""],
  ])("refuse %s instead of throwing", async (_what, stored) => {
    expect(await verifyPassword("anything-1", stored)).toBe(false);
  });
});
