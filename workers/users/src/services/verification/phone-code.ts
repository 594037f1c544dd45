import { sha256Hex } from "@shop/runtime";

/** A phone code is good for 10 minutes and 5 guesses; then a new one must be requested. */
export const PHONE_CODE_TTL_MS = 10 * 60_000;
export const PHONE_CODE_MAX_ATTEMPTS = 5;
/** Resends: one a minute, five an hour per account (the notifications worker also caps per number). */
export const PHONE_CODE_RESEND_MS = 60_000;
export const PHONE_CODE_WINDOW_MS = 60 * 60_000;
export const PHONE_CODE_SENDS_PER_WINDOW = 5;

/** Six uniformly random digits (rejection sampling, so no digit string is likelier than another). */
export function newPhoneCode(): string {
  const limit = 4_294_000_000; // the largest multiple of 10^6 below 2^32
  for (;;) {
    const [n = limit] = crypto.getRandomValues(new Uint32Array(1));
    if (n < limit) return String(n % 1_000_000).padStart(6, "0");
  }
}

/**
 * The stored form of a code: SHA-256 over a per-code random salt and the digits. A salt cannot
 * make a million codes hard to search, but a code is worth something only for 10 minutes and 5
 * online guesses; the salt keeps equal codes from having equal hashes across accounts.
 */
export function phoneCodeHash(salt: string, code: string): Promise<string> {
  return sha256Hex(`${salt}:${code}`);
}
