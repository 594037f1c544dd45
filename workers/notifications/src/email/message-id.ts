import { newSecret } from "@shop/runtime";

/**
 * Our Message-IDs are `<ntf_….<secret>@domain>`: the delivery id (80 random bits, also shown
 * to the user in their delivery log) plus a 128-bit secret that only the recipient's mailbox
 * ever sees. A bounce counts only if it quotes both, so nobody can forge a report that stops
 * someone else's email (ADR 0011). The whole id is stored as the delivery's `provider_id`.
 */
const OUR_MESSAGE_ID = /<(ntf_[0-9a-hjkmnp-tv-z]{26})\.([A-Za-z0-9_-]{22,86})@/g;

export type QuotedMessageId = { deliveryId: string; secret: string };

/** A fresh Message-ID (without angle brackets) for one email delivery. */
export function newMessageId(deliveryId: string, domain: string): string {
  return `${deliveryId}.${newSecret()}@${domain}`;
}

/** Our Message-IDs quoted anywhere in `text` (at most 20). */
export function quotedMessageIds(text: string): QuotedMessageId[] {
  const seen = new Map<string, QuotedMessageId>();
  for (const m of text.matchAll(OUR_MESSAGE_ID)) {
    const q = { deliveryId: m[1] as string, secret: m[2] as string };
    seen.set(`${q.deliveryId}.${q.secret}`, q);
  }
  return [...seen.values()].slice(0, 20);
}

/** Whether `quoted` carries the secret of the Message-ID we stored for that delivery (constant time). */
export function provesDelivery(storedMessageId: string | null, quoted: QuotedMessageId): boolean {
  const stored = storedMessageId ? [...storedMessageId.matchAll(OUR_MESSAGE_ID)][0] : undefined;
  if (!stored || stored[1] !== quoted.deliveryId) return false;
  const a = new TextEncoder().encode(stored[2]);
  const b = new TextEncoder().encode(quoted.secret);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}
