import { env } from "cloudflare:workers";
import { JWT_AUDIENCE, JWT_ISSUER } from "@shop/contracts";
import { mintToken } from "@shop/testing/worker";
import { base64url, exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem, registerUser } from "../../helpers";

let sub: string;
let email: string;

beforeAll(async () => {
  const registered = await registerUser();
  sub = registered.user.id;
  email = registered.email;
});

const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({ sub, role: "admin", email, iss: JWT_ISSUER, aud: JWT_AUDIENCE, iat: now(), exp: now() + 900 });
const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
const me = (token: string) => call("GET", "/users/me", { token });
const publicJwk = () => {
  const { d: _private, ...pub } = JSON.parse(env.TEST_SIGNING_JWK) as Record<string, string>;
  return pub;
};

describe("access tokens on GET /users/me", () => {
  it("accepts a token signed with the current key (the control for every refusal below)", async () => {
    expect((await me(await mintToken(env.TEST_SIGNING_JWK, { sub, email }))).status).toBe(200);
  });

  it("accepts a token signed with the previous key still listed in JWT_PREVIOUS_PUBLIC_JWKS", async () => {
    const token = await mintToken(env.TEST_PREVIOUS_SIGNING_JWK, { sub, email });
    expect((await me(token)).status).toBe(200);
  });

  const forgeries: [string, () => Promise<string>][] = [
    ["alg none", async () => `${encode({ alg: "none", typ: "JWT", kid: "test-current" })}.${encode(claims())}.`],
    [
      "HS256 keyed with the public JWK",
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: "HS256", kid: "test-current" })
          .sign(new TextEncoder().encode(JSON.stringify(publicJwk()))),
    ],
    [
      "HS256 keyed with the raw public key bytes",
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: "HS256", kid: "test-current" })
          .sign(base64url.decode(publicJwk().x ?? "")),
    ],
    ["an expired token", () => mintToken(env.TEST_SIGNING_JWK, { sub, email, expiresIn: -120 })],
    ["a token not valid yet (nbf)", () => mintToken(env.TEST_SIGNING_JWK, { sub, email, notBefore: 600 })],
    ["a wrong issuer", () => mintToken(env.TEST_SIGNING_JWK, { sub, email, issuer: "https://evil.example" })],
    ["a wrong audience", () => mintToken(env.TEST_SIGNING_JWK, { sub, email, audience: "another-api" })],
    [
      "an unknown kid",
      async () => {
        const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
        const jwk = JSON.stringify({ ...(await exportJWK(privateKey)), kid: "attacker-key" });
        return mintToken(jwk, { sub, email, role: "admin" });
      },
    ],
    [
      "another key claiming the current kid",
      async () => {
        const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
        const jwk = JSON.stringify({ ...(await exportJWK(privateKey)), kid: "test-current" });
        return mintToken(jwk, { sub, email });
      },
    ],
    [
      "a tampered payload",
      async () => {
        const [header, , signature] = (await mintToken(env.TEST_SIGNING_JWK, { sub, email })).split(".");
        return `${header}.${encode(claims())}.${signature}`;
      },
    ],
    ["garbage", async () => "not.a.jwt"],
  ];

  it.each(forgeries)("refuses %s with 401", async (_what, forge) => {
    const problem = await expectProblem(await me(await forge()), 401);
    expect(problem.code).toBe("unauthorized");
  });

  it("refuses a request without a token with 401 and a WWW-Authenticate challenge", async () => {
    const res = await call("GET", "/users/me");
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });
});
