import {
  type Channel,
  type Contact,
  type NotificationMessage,
  OPTIONAL_TYPES,
  UNVERIFIED_EMAIL_TYPES,
} from "@shop/contracts";
import type { StoredPreferences } from "../preferences/get";

export type Plan = { channel: Channel; recipient: string }[];

/**
 * Which channels a message goes out on:
 * - email: transactional types always, optional types only if the user did not opt out; never
 *   to an address a delivery-failure report came back for; to an address nobody has verified
 *   yet only the verification itself, the registration warning and receipts
 *   (`UNVERIFIED_EMAIL_TYPES`) — so a sign-up with someone else's address cannot make us mail
 *   them anything else;
 * - SMS: only to a verified phone of a user who has SMS on (so SMS is off until the phone is
 *   verified). The one exception is `user.phone_code`, which goes to the number being verified,
 *   and only while that number is still the account's (the code was asked for by the user).
 * `requested` (the message's own channel list) can only narrow this, never widen it.
 */
export function chooseChannels(input: {
  message: Pick<NotificationMessage, "type" | "data">;
  requested: Channel[] | undefined;
  contact: Contact;
  preferences: StoredPreferences;
  emailUndeliverable: boolean;
}): Plan {
  const { message, contact } = input;
  const wants = (c: Channel) => !input.requested || input.requested.includes(c);
  const plan: Plan = [];
  if (message.type === "user.phone_code") {
    const phone = (message.data as { phone: string }).phone;
    if (wants("sms") && contact.phone === phone && !contact.phoneVerified)
      plan.push({ channel: "sms", recipient: phone });
    return plan;
  }
  const optional = OPTIONAL_TYPES.includes(message.type);
  const emailAllowed = contact.emailVerified === true || UNVERIFIED_EMAIL_TYPES.includes(message.type);
  if (wants("email") && emailAllowed && !input.emailUndeliverable && (!optional || input.preferences.emailOptional)) {
    plan.push({ channel: "email", recipient: contact.email.toLowerCase() });
  }
  if (wants("sms") && contact.phone && contact.phoneVerified === true && input.preferences.sms) {
    plan.push({ channel: "sms", recipient: contact.phone });
  }
  return plan;
}
