import { JWT_AUDIENCE, JWT_ISSUER, type Jwks } from "@shop/contracts";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { authenticate, principalOf, TokenVerifier } from "../src/auth";
import { JWKS_GRACE_MS, JWKS_TTL_MS } from "../src/key-cache";

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "EdDSA" } };
}

// Tokens are signed with the real time; the verifier's clock only moves its cache, so the
// tokens carry a long life and the clock tolerance never matters.
async function sign(key: Awaited<ReturnType<typeof keyPair>>) {
  return new SignJWT({ role: "customer", email: "a@example.com" })
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid })
    .setSubject("usr_01jd8x3v4k2m9q7r5t6w8y0zab")
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("4h")
    .sign(key.privateKey);
}

/**
 * Stands in for the `USERS` service binding (our own RPC boundary): `jwks()` answers the
 * published keys or, while `down`, fails as a binding to a stopped worker does.
 */
class FakeUsers {
  down = false;
  calls = 0;
  constructor(public published: Jwks) {}
  async jwks(): Promise<Jwks> {
    this.calls++;
    if (this.down) throw new Error("Service binding 'USERS' is not available");
    return this.published;
  }
}

const MINUTE = 60_000;

describe("TokenVerifier when users is down", () => {
  let key: Awaited<ReturnType<typeof keyPair>>;
  let users: FakeUsers;
  let clock: number;
  let verifier: TokenVerifier;
  const load = () => users.jwks();

  beforeEach(async () => {
    key = await keyPair("k1");
    users = new FakeUsers({ keys: [key.publicJwk] });
    clock = 1_000_000;
    verifier = new TokenVerifier(5_000, () => clock);
  });

  it("keeps verifying with the last good keys past the cache lifetime, for the grace, then answers 503", async () => {
    const token = await sign(key);
    expect((await verifier.verify(token, load)).role).toBe("customer");
    users.down = true;

    clock += JWKS_TTL_MS + 1; // cache stale: the refresh fails, the old keys still verify
    expect((await verifier.verify(token, load)).userId).toBe("usr_01jd8x3v4k2m9q7r5t6w8y0zab");
    expect(users.calls).toBe(2);

    clock += JWKS_GRACE_MS - 2 * MINUTE; // still inside the grace
    expect((await verifier.verify(token, load)).role).toBe("customer");

    clock += 2 * MINUTE; // past TTL + grace: nothing trustworthy left
    await expect(verifier.verify(token, load)).rejects.toMatchObject({
      status: 503,
      code: "service_unavailable",
      headers: { "retry-after": "5" },
    });
  });

  it("does not call a failing users on every request while it serves stale keys", async () => {
    const token = await sign(key);
    await verifier.verify(token, load);
    users.down = true;
    clock += JWKS_TTL_MS + 1;
    for (let i = 0; i < 5; i++) await verifier.verify(token, load);
    expect(users.calls).toBe(2); // one failed refresh, then the stale keys for 5 s
    clock += 5_000;
    await verifier.verify(token, load);
    expect(users.calls).toBe(3);
  });

  it("recovers as soon as users answers again", async () => {
    const token = await sign(key);
    await verifier.verify(token, load);
    users.down = true;
    clock += JWKS_TTL_MS + JWKS_GRACE_MS + 1;
    await expect(verifier.verify(token, load)).rejects.toMatchObject({ status: 503 });
    users.down = false; // no back-off once nothing usable is held: the next request recovers
    expect((await verifier.verify(token, load)).role).toBe("customer");
  });

  it("answers 503, never 401, when no key set was ever fetched", async () => {
    users.down = true;
    await expect(verifier.verify(await sign(key), load)).rejects.toMatchObject({
      status: 503,
      code: "service_unavailable",
    });
  });

  it("answers 503 for an unknown kid while it holds only stale keys (it may be a rotation it cannot fetch)", async () => {
    await verifier.verify(await sign(key), load);
    const rotated = await keyPair("k2");
    users.down = true;
    clock += JWKS_TTL_MS + 1;
    await expect(verifier.verify(await sign(rotated), load)).rejects.toMatchObject({ status: 503 });
  });

  it("answers 401 for an unknown kid when its fresh keys are authoritative, even if the refresh fails", async () => {
    await verifier.verify(await sign(key), load);
    const stranger = await keyPair("stranger");
    users.down = true;
    clock += 10_000; // fresh, and a kid-miss refresh is allowed: it fails
    await expect(verifier.verify(await sign(stranger), load)).rejects.toMatchObject({
      status: 401,
      code: "unauthorized",
    });
    expect(users.calls).toBe(2);
  });

  it("an unknown kid during another request's refresh waits for it: 401 once users answers, not 503", async () => {
    await verifier.verify(await sign(key), load);
    clock += JWKS_TTL_MS + 1; // stale: the next request refreshes, and users answers slowly
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slowLoad = async () => {
      await gate;
      return users.jwks();
    };
    const first = verifier.verify(await sign(key), slowLoad);
    const stranger = verifier.verify(await sign(await keyPair("forged")), slowLoad);
    release();
    expect((await first).role).toBe("customer");
    await expect(stranger).rejects.toMatchObject({ status: 401 });
  });

  it("a rotated kid seen while a refresh is under way verifies with the new set", async () => {
    await verifier.verify(await sign(key), load);
    const rotated = await keyPair("k2");
    users.published = { keys: [key.publicJwk, rotated.publicJwk] };
    clock += JWKS_TTL_MS + 1;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slowLoad = async () => {
      await gate;
      return users.jwks();
    };
    const first = verifier.verify(await sign(key), slowLoad);
    const second = verifier.verify(await sign(rotated), slowLoad);
    release();
    await first;
    expect((await second).userId).toBe("usr_01jd8x3v4k2m9q7r5t6w8y0zab");
  });

  it("still refuses a bad token with 401 while serving stale keys", async () => {
    await verifier.verify(await sign(key), load);
    users.down = true;
    clock += JWKS_TTL_MS + 1;
    const forged = `${(await sign(key)).slice(0, -4)}AAAA`;
    await expect(verifier.verify(forged, load)).rejects.toMatchObject({ status: 401 });
  });
});

describe("authenticate() over a failing USERS binding", () => {
  type Env = { Bindings: { USERS: FakeUsers; JWT_ISSUER: string; JWT_AUDIENCE: string } };
  const bindings = (users: FakeUsers) => ({ USERS: users, JWT_ISSUER, JWT_AUDIENCE });

  function appWith(verifier: TokenVerifier) {
    const app = createApp<Env>("test");
    app.use(
      "/me",
      authenticate((c) => c.env.USERS.jwks(), { verifier }),
    );
    app.get("/me", (c) => c.json({ userId: principalOf(c).userId }));
    return app;
  }

  it("answers a signed-in read with 503 problem+json and Retry-After when users was down from the start", async () => {
    const key = await keyPair("k1");
    const users = new FakeUsers({ keys: [key.publicJwk] });
    users.down = true;
    const app = appWith(new TokenVerifier(5_000, () => 0));
    const res = await app.request("/me", { headers: { authorization: `Bearer ${await sign(key)}` } }, bindings(users));
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("www-authenticate")).toBeNull();
    expect(((await res.json()) as { code: string }).code).toBe("service_unavailable");
  });

  it("answers 200 within the grace and 503 after it, never 401 or 500", async () => {
    const key = await keyPair("k1");
    const users = new FakeUsers({ keys: [key.publicJwk] });
    let clock = 0;
    const app = appWith(new TokenVerifier(5_000, () => clock));
    const init = { headers: { authorization: `Bearer ${await sign(key)}` } };
    expect((await app.request("/me", init, bindings(users))).status).toBe(200);
    users.down = true;
    clock += JWKS_TTL_MS + 30 * MINUTE;
    expect((await app.request("/me", init, bindings(users))).status).toBe(200);
    clock += JWKS_GRACE_MS;
    const after = await app.request("/me", init, bindings(users));
    expect(after.status).toBe(503);
    expect(after.headers.get("retry-after")).toBe("5");
  });

  it("takes the cache and grace from the env (JWKS_CACHE_SECONDS, JWKS_GRACE_SECONDS), per request", async () => {
    const key = await keyPair("k1");
    const users = new FakeUsers({ keys: [key.publicJwk] });
    let clock = 0;
    const app = appWith(new TokenVerifier(5_000, () => clock));
    const env = { ...bindings(users), JWKS_CACHE_SECONDS: "4", JWKS_GRACE_SECONDS: "12" };
    const init = { headers: { authorization: `Bearer ${await sign(key)}` } };
    expect((await app.request("/me", init, env)).status).toBe(200);
    users.down = true;
    clock += 5_000; // past the 4 s cache: the refresh fails, the keys are in their grace
    expect((await app.request("/me", init, env)).status).toBe(200);
    expect(users.calls).toBe(2);
    clock += 10_000; // 15 s: still within 4 + 12
    expect((await app.request("/me", init, env)).status).toBe(200);
    clock += 2_000; // 17 s: past it (the defaults would still be fresh)
    expect((await app.request("/me", init, env)).status).toBe(503);
    expect((await app.request("/me", init, bindings(users))).status).toBe(200);
  });
});
