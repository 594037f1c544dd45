import { ACCESS_TOKEN_TTL_SECONDS, JWT_ALGORITHM, REFRESH_TOKEN_TTL_SECONDS, type TokenPair } from "@shop/contracts";
import { randomToken, sha256Hex, tokenClaims } from "@shop/runtime";
import { SignJWT } from "jose";
import type { UserRow } from "../../db/schema";
import type { UsersBindings } from "../../env";
import { signingKey } from "../../keys";
import { publicUser } from "../users/public-user";

/** A freshly minted pair: the client gets `pair`; only `refreshHash` is ever stored. */
export type IssuedTokens = { pair: TokenPair; refreshHash: string; refreshExpiresAt: number };

/** Signs a 15-minute EdDSA access token (this environment's `iss`/`aud`) for `user` and draws a new opaque refresh token. */
export async function issueTokens(env: UsersBindings, user: UserRow, now = Date.now()): Promise<IssuedTokens> {
  const { kid, key } = await signingKey(env);
  // This environment's issuer and audience: a token minted here is refused by every other one.
  const { issuer, audience } = tokenClaims(env);
  const iat = Math.floor(now / 1000);
  const accessToken = await new SignJWT({ role: user.role, email: user.email })
    .setProtectedHeader({ alg: JWT_ALGORITHM, kid, typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(key);
  const refreshToken = randomToken(32);
  return {
    pair: {
      tokenType: "Bearer",
      accessToken,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      refreshToken,
      user: publicUser(user),
    },
    refreshHash: await sha256Hex(refreshToken),
    refreshExpiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
  };
}
