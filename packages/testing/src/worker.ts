/**
 * Test helpers that run inside workerd: mint access tokens with the run's test signing key
 * (the same key the real `users` worker signs and publishes with in these tests).
 */
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER, type Role } from "@shop/contracts";
import { base64url, importJWK, type JWTPayload, SignJWT } from "jose";

export type TokenOptions = {
  sub: string;
  role?: Role;
  email?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  notBefore?: number;
  issuer?: string;
  audience?: string;
  kid?: string;
  extra?: JWTPayload;
};

export async function mintToken(signingJwk: string, opts: TokenOptions): Promise<string> {
  const jwk = JSON.parse(signingJwk) as { kid: string };
  const key = await importJWK(jwk, JWT_ALGORITHM);
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    role: opts.role ?? "customer",
    email: opts.email ?? `${opts.sub}@example.com`,
    ...opts.extra,
  })
    .setProtectedHeader({ alg: JWT_ALGORITHM, kid: opts.kid ?? jwk.kid, typ: "JWT" })
    .setSubject(opts.sub)
    .setIssuer(opts.issuer ?? JWT_ISSUER)
    .setAudience(opts.audience ?? JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresIn ?? 900));
  if (opts.notBefore !== undefined) jwt.setNotBefore(now + opts.notBefore);
  return jwt.sign(key);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const b64url = (value: unknown) => base64url.encode(JSON.stringify(value));

/**
 * Tokens that claim the admin role but were not issued by the run's signing key: expired,
 * signed by an attacker's key under our `kid`, a genuine customer token with its role edited,
 * and garbage. Every one must be refused with 401.
 */
export async function forgedAdminTokens(signingJwk: string, sub: string): Promise<[string, string][]> {
  const { kid } = JSON.parse(signingJwk) as { kid: string };
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const attacker = JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.privateKey)), kid, alg: "EdDSA" });
  const genuine = await mintToken(signingJwk, { sub, role: "customer" });
  const [header, payload, signature] = genuine.split(".");
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? ""))) as object;
  return [
    ["an expired admin token", await mintToken(signingJwk, { sub, role: "admin", expiresIn: -120 })],
    ["an admin token signed by another key under our kid", await mintToken(attacker, { sub, role: "admin" })],
    ["a customer token re-labelled admin", `${header}.${b64url({ ...claims, role: "admin" })}.${signature}`],
    ["garbage", "not.a.jwt"],
  ];
}
