import { env, exports } from "cloudflare:workers";
import { type Jwks, MAX_CONTACTS_PER_CALL } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { registerUser } from "./helpers";

const rpc = exports.UsersRpc;

describe("UsersRpc", () => {
  it("getContact returns the contact details of a user", async () => {
    await env.DB.prepare(
      "INSERT INTO users (id, email, name, phone, role, email_verified, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 'customer', 0, 'x', ?, ?)",
    )
      .bind(
        "usr_01jd8x3v4k2m9q7r5t6w8y0zab",
        "rpc@example.com",
        "Ada",
        "+14155550123",
        "2026-01-01T00:00:00.000Z",
        "2026-01-01T00:00:00.000Z",
      )
      .run();
    expect(await rpc.getContact("usr_01jd8x3v4k2m9q7r5t6w8y0zab")).toEqual({
      userId: "usr_01jd8x3v4k2m9q7r5t6w8y0zab",
      email: "rpc@example.com",
      name: "Ada",
      phone: "+14155550123",
      emailVerified: false,
      phoneVerified: false,
    });
  });

  it("getContact says which contacts are verified, and a phone only while it is set", async () => {
    const { user } = await registerUser({ name: "Verified", phone: "+442071838751" });
    await env.DB.prepare("UPDATE users SET email_verified_at = ?1, phone_verified_at = ?1 WHERE id = ?2")
      .bind("2026-01-01T00:00:00.000Z", user.id)
      .run();
    expect(await rpc.getContact(user.id)).toMatchObject({ emailVerified: true, phoneVerified: true });
    await env.DB.prepare("UPDATE users SET phone = NULL WHERE id = ?").bind(user.id).run();
    expect(await rpc.getContact(user.id)).toMatchObject({ emailVerified: true, phoneVerified: false });
  });

  it("getContact finds a user who registered over HTTP", async () => {
    const { email, user } = await registerUser({ name: "Grace", phone: "+442071838750" });
    expect(await rpc.getContact(user.id)).toEqual({
      userId: user.id,
      email,
      name: "Grace",
      phone: "+442071838750",
      emailVerified: false,
      phoneVerified: false,
    });
  });

  it("getContact returns null for an unknown user", async () => {
    expect(await rpc.getContact("usr_00000000000000000000000000")).toBeNull();
  });

  it("contactsOf returns name and email of each known user in one call, skipping unknown and malformed ids", async () => {
    const ada = await registerUser({ name: "Ada Batch", phone: "+442071838752" });
    const grace = await registerUser({ name: "Grace Batch" });
    const found = await rpc.contactsOf([
      ada.user.id,
      "usr_00000000000000000000000000",
      grace.user.id,
      ada.user.id,
      "not-a-user-id",
    ]);
    expect([...found].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { userId: ada.user.id, name: "Ada Batch", email: ada.email },
      { userId: grace.user.id, name: "Grace Batch", email: grace.email },
    ]);
    // Name and email only: no phone, role, hash or verification state crosses the boundary.
    for (const c of found) expect(Object.keys(c).sort()).toEqual(["email", "name", "userId"]);
    expect(await rpc.contactsOf([])).toEqual([]);
  });

  it("contactsOf refuses more ids than one call may carry", async () => {
    const { user } = await registerUser({ name: "Capped" });
    const full = Array.from({ length: MAX_CONTACTS_PER_CALL }, (_, i) =>
      i === 0 ? user.id : "usr_00000000000000000000000000",
    );
    expect(await rpc.contactsOf(full)).toEqual([expect.objectContaining({ userId: user.id })]);
    const refused = await rpc.contactsOf([...full, user.id]).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(RangeError);
    expect(String(refused)).toMatch(/at most 100 user ids/);
  });

  it("jwks publishes the current and the previous public key, never a private part", async () => {
    const jwks = (await rpc.jwks()) as unknown as Jwks;
    expect(jwks.keys.map((k) => k.kid)).toEqual(["test-current", "test-previous"]);
    for (const key of jwks.keys) expect(key).not.toHaveProperty("d");
  });
});
