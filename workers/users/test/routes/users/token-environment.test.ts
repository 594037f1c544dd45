import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { JWT_AUDIENCE, JWT_ISSUER } from "@shop/contracts";
import { bearer, mintToken } from "@shop/testing/worker";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { app } from "../../../src/app";
import { loginUser, registerUser } from "../../helpers";

const { staging, production } = env.TEST_TOKEN_CLAIMS_BY_ENV;

/** This worker's app run with another environment's vars (as `wrangler deploy --env <name>` would). */
async function callAs(vars: { JWT_ISSUER: string; JWT_AUDIENCE: string }, path: string, token: string) {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`https://users.internal${path}`, { headers: bearer(token) }),
    { ...env, ...vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("issuer and audience per environment", () => {
  it("every token-verifying worker has the same issuer and audience as users in each environment, and they differ", () => {
    for (const byWorker of [staging, production]) {
      for (const claims of Object.values(byWorker ?? {})) expect(claims).toEqual(byWorker?.users);
    }
    expect(staging?.users?.JWT_ISSUER).not.toBe(production?.users?.JWT_ISSUER);
    expect(staging?.users?.JWT_AUDIENCE).not.toBe(production?.users?.JWT_AUDIENCE);
    expect([staging?.users?.JWT_ISSUER, production?.users?.JWT_ISSUER]).not.toContain(JWT_ISSUER);
  });

  it("a token minted with the staging issuer and audience is refused (401) by a worker configured for production", async () => {
    if (!staging?.users || !production?.users) throw new Error("wrangler.toml lacks staging/production vars");
    const { user } = await registerUser();
    const token = await mintToken(env.TEST_SIGNING_JWK, {
      sub: user.id,
      issuer: staging.users.JWT_ISSUER,
      audience: staging.users.JWT_AUDIENCE,
    });
    // The same key signs in both environments here, so only iss/aud keep them apart.
    expect((await callAs(staging.users, "/users/me", token)).status).toBe(200);
    const refused = await callAs(production.users, "/users/me", token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    // Staging issuer with the production audience (or the reverse) is refused too.
    const mixed = await mintToken(env.TEST_SIGNING_JWK, {
      sub: user.id,
      issuer: staging.users.JWT_ISSUER,
      audience: production.users.JWT_AUDIENCE,
    });
    expect((await callAs(production.users, "/users/me", mixed)).status).toBe(401);
  });

  it("signs with the issuer and audience of its own environment", async () => {
    const { email } = await registerUser();
    const { accessToken } = await loginUser(email);
    expect(decodeJwt(accessToken)).toMatchObject({ iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE });
    expect(env.JWT_ISSUER).toBe(JWT_ISSUER);
    expect(env.JWT_AUDIENCE).toBe(JWT_AUDIENCE);
    // A local token is refused by production, whose worker reads its own vars at runtime.
    if (!production?.users) throw new Error("wrangler.toml lacks production vars");
    expect((await callAs(production.users, "/users/me", accessToken)).status).toBe(401);
  });

  it("a worker without JWT_ISSUER / JWT_AUDIENCE refuses to verify anything rather than guess", async () => {
    const { email } = await registerUser();
    const { accessToken } = await loginUser(email);
    const ctx = createExecutionContext();
    const { JWT_ISSUER: _i, JWT_AUDIENCE: _a, ...unconfigured } = env;
    const res = await app.fetch(
      new Request("https://users.internal/users/me", { headers: bearer(accessToken) }),
      unconfigured,
      ctx,
    );
    expect(res.status).toBe(500);
  });
});
