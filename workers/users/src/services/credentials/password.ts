import { fromBase64, toBase64 } from "@shop/runtime";

/**
 * Password hashes: PBKDF2-SHA256 with a 16-byte per-user salt, stored as a versioned string
 * `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`. Verification reads the iteration
 * count from the string, so the cost can be raised later without invalidating old hashes.
 * `scripts/seed.mjs` writes the same format with node:crypto.
 */
const PASSWORD_SCHEME = "pbkdf2-sha256";
/** Production Workers refuse PBKDF2 above 100,000 iterations (local workerd does not). */
export const PBKDF2_ITERATIONS = 100_000;
export const PBKDF2_MAX_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

const encoder = new TextEncoder();

function fromBase64OrNull(text: string): Uint8Array | null {
  try {
    return fromBase64(text);
  } catch {
    return null;
  }
}

async function derive(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations, HASH_BYTES);
  return `${PASSWORD_SCHEME}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Constant-time check of `password` against a stored hash string; false for any malformed string. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, rounds, saltText, hashText, ...rest] = stored.split("$");
  if (scheme !== PASSWORD_SCHEME || rest.length || !rounds || !saltText || !hashText) return false;
  const iterations = Number(rounds);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) return false;
  const salt = fromBase64OrNull(saltText);
  const expected = fromBase64OrNull(hashText);
  if (!salt || !expected || expected.length === 0) return false;
  const actual = await derive(password, salt, iterations, expected.length);
  return crypto.subtle.timingSafeEqual(actual, expected);
}

/** A resolved string (not a promise) is cached: promises must not cross request contexts. */
let dummy: string | undefined;

/**
 * Burns the same PBKDF2 work as a real check, for sign-ins with an unknown email,
 * so response time does not tell which emails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= await hashPassword("not-a-real-password-0");
  await verifyPassword(password, dummy);
  return false;
}
