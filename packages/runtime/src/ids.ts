import { ID_PREFIXES, type IdKind } from "@shop/contracts";
import { ulid } from "ulid";
import { randomToken } from "./crypto";

/**
 * ulid's PRNG contract is a fraction in [0, 1); it takes one call per character and keeps
 * `floor(x * 32)`. One fresh CSPRNG byte per call (byte / 256) gives each character 5
 * unbiased random bits. Passed explicitly so nothing depends on ulid's platform detection,
 * and never `monotonicFactory`: its ids minted in one millisecond differ by +1 (workerd's
 * clock stands still between I/O, so a neighbour's id would be the previous one plus one).
 */
const csprng = (): number => (crypto.getRandomValues(new Uint8Array(1))[0] as number) / 256;

/**
 * `<prefix>_<ulid>` in lower case: sortable by creation time to the millisecond, with 80 fresh
 * random bits from `crypto.getRandomValues`. Ids minted in the same millisecond have no order
 * among themselves. 80 bits make an id unguessable, not a secret: whatever grants access
 * (a guest cart, a Message-ID that authenticates a bounce) also needs `newSecret()`.
 */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid(undefined, csprng).toLowerCase()}`;
}

/** Bytes of a capability secret: 128 bits (≥ 122, a random UUID's strength). */
const SECRET_BYTES = 16;

/** A bearer secret: 128 bits from `crypto.getRandomValues`, base64url (22 characters, `[A-Za-z0-9_-]`). */
export function newSecret(): string {
  return randomToken(SECRET_BYTES);
}
