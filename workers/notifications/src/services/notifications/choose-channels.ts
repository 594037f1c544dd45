import {
  type Channel,
  type Contact,
  type NotificationMessage,
  OPTIONAL_TYPES,
  UNVERIFIED_EMAIL_TYPES,
} from "@shop/contracts";
import type { StoredPreferences } from "../preferences/get";

/**
 * What a channel still depends on in this worker's D1, once the message and the contact allow
 * it: the address not reported undeliverable, the user's optional-email choice, their SMS choice.
 */
export type Condition = "emailDeliverable" | "emailOptional" | "sms";

/** A channel the message and the contact allow, due when its conditions hold. */
export type Candidate = { channel: Channel; recipient: string; conditions: Condition[] };

/** What the conditions are checked against (stored preferences, undeliverable addresses). */
export type StoredFacts = { preferences: StoredPreferences; emailUndeliverable: boolean };

/**
 * Which channels a message may go out on, before this worker's own D1 is consulted:
 * - email: transactional types always, optional types only if the user did not opt out; never
 *   to an address a delivery-failure report came back for; to an address nobody has verified
 *   yet only the verification itself, the registration warning and receipts
 *   (`UNVERIFIED_EMAIL_TYPES`) — so a sign-up with someone else's address cannot make us mail
 *   them anything else;
 * - SMS: only to a verified phone of a user who has SMS on (so SMS is off until the phone is
 *   verified). The one exception is `user.phone_code`, which goes to the number being verified,
 *   and only while that number is still the account's (the code was asked for by the user).
 * `requested` (the message's own channel list) can only narrow this, never widen it. The parts
 * that depend on stored preferences and bounces are each candidate's `conditions`: checked by
 * `meets` here, and by the claim itself in SQL (deliveries/claim.ts), in one transaction.
 */
export function candidateChannels(input: {
  message: Pick<NotificationMessage, "type" | "data">;
  requested: Channel[] | undefined;
  contact: Contact;
}): Candidate[] {
  const { message, contact } = input;
  const wants = (c: Channel) => !input.requested || input.requested.includes(c);
  const candidates: Candidate[] = [];
  if (message.type === "user.phone_code") {
    const phone = (message.data as { phone: string }).phone;
    if (wants("sms") && contact.phone === phone && !contact.phoneVerified)
      candidates.push({ channel: "sms", recipient: phone, conditions: [] });
    return candidates;
  }
  const optional = OPTIONAL_TYPES.includes(message.type);
  const emailAllowed = contact.emailVerified === true || UNVERIFIED_EMAIL_TYPES.includes(message.type);
  if (wants("email") && emailAllowed) {
    const conditions: Condition[] = optional ? ["emailDeliverable", "emailOptional"] : ["emailDeliverable"];
    candidates.push({ channel: "email", recipient: contact.email.toLowerCase(), conditions });
  }
  if (wants("sms") && contact.phone && contact.phoneVerified === true) {
    candidates.push({ channel: "sms", recipient: contact.phone, conditions: ["sms"] });
  }
  return candidates;
}

/** Whether a candidate's conditions hold for these stored facts. */
export function meets(candidate: Candidate, facts: StoredFacts): boolean {
  return candidate.conditions.every((c) =>
    c === "emailDeliverable"
      ? !facts.emailUndeliverable
      : c === "emailOptional"
        ? facts.preferences.emailOptional
        : facts.preferences.sms,
  );
}
