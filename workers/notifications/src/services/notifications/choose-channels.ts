import { type Channel, type Contact, type NotificationType, OPTIONAL_TYPES } from "@shop/contracts";
import type { StoredPreferences } from "../preferences/get";

export type Plan = { channel: Channel; recipient: string }[];

/**
 * Which channels a message goes out on:
 * - email: always for transactional types, for optional types only if the user did not opt out;
 *   never to an address a delivery-failure report came back for;
 * - SMS: only to a user with a phone who has SMS on.
 * `requested` (the message's own channel list) can only narrow this, never widen it.
 */
export function chooseChannels(input: {
  type: NotificationType;
  requested: Channel[] | undefined;
  contact: Contact;
  preferences: StoredPreferences;
  emailUndeliverable: boolean;
}): Plan {
  const wants = (c: Channel) => !input.requested || input.requested.includes(c);
  const optional = OPTIONAL_TYPES.includes(input.type);
  const plan: Plan = [];
  if (wants("email") && !input.emailUndeliverable && (!optional || input.preferences.emailOptional)) {
    plan.push({ channel: "email", recipient: input.contact.email.toLowerCase() });
  }
  if (wants("sms") && input.contact.phone && input.preferences.sms) {
    plan.push({ channel: "sms", recipient: input.contact.phone });
  }
  return plan;
}
