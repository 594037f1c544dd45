import { base64url } from "jose";

/** Hex SHA-256 of a string: fingerprints for idempotency records and hashed tokens. */
export async function sha256Hex(input: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Random url-safe token with `bytes` bytes of entropy (unpadded base64url). */
export function randomToken(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * Standard (padded, `+/`) base64 of bytes, for formats that require it (MIME bodies, HTTP basic
 * auth, stored password hashes). Anything that travels in a URL uses jose's `base64url` instead.
 */
export function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The bytes of standard base64 text; throws on anything that is not base64. */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}
