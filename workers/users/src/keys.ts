import { type JsonWebKeyLike, JWT_ALGORITHM, type Jwks } from "@shop/contracts";
import { type CryptoKey, importJWK } from "jose";

export type SigningKey = { kid: string; key: CryptoKey; publicJwk: JsonWebKeyLike };

type KeyEnv = { JWT_PRIVATE_JWK: string; JWT_PREVIOUS_PUBLIC_JWKS?: string };

/** The imported key, cached per isolate as a value: promises must not be shared across requests. */
let cache: { source: string; key: SigningKey } | undefined;

/**
 * The current signing key comes from the `JWT_PRIVATE_JWK` secret (an Ed25519 private JWK with `kid`).
 * Rotation: deploy a new private key and move the old public JWK into `JWT_PREVIOUS_PUBLIC_JWKS`
 * until the last token it signed has expired (15 min); services pick the new `kid` up on first sight.
 */
export async function signingKey(env: KeyEnv): Promise<SigningKey> {
  if (cache?.source === env.JWT_PRIVATE_JWK) return cache.key;
  const jwk = JSON.parse(env.JWT_PRIVATE_JWK) as JsonWebKeyLike & { d?: string };
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d || !jwk.kid) {
    throw new Error("JWT_PRIVATE_JWK must be an Ed25519 private JWK with a kid");
  }
  const { d: _private, ...publicJwk } = jwk;
  const key: SigningKey = {
    kid: jwk.kid,
    key: (await importJWK(jwk as Parameters<typeof importJWK>[0], JWT_ALGORITHM)) as CryptoKey,
    publicJwk: { ...publicJwk, alg: JWT_ALGORITHM, use: "sig" },
  };
  cache = { source: env.JWT_PRIVATE_JWK, key };
  return key;
}

/** The published key set: the current public key plus any previous ones still honoured. */
export async function publicJwks(env: KeyEnv): Promise<Jwks> {
  const current = await signingKey(env);
  const previous = env.JWT_PREVIOUS_PUBLIC_JWKS ? (JSON.parse(env.JWT_PREVIOUS_PUBLIC_JWKS) as JsonWebKeyLike[]) : [];
  return {
    keys: [current.publicJwk, ...previous.filter((k) => k.kid !== current.kid).map(({ d: _private, ...pub }) => pub)],
  };
}
