/**
 * Test helpers that run inside workerd: mint access tokens with the run's test signing key
 * (the same key the real `users` worker signs and publishes with in these tests).
 */
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER, type Role } from "@shop/contracts";
import { importJWK, type JWTPayload, SignJWT } from "jose";

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
