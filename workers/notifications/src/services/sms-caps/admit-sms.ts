import type { NotificationsContext } from "../../env";
import { countryCallingCode } from "./country-code";

/** Caps over a sliding hour: per destination number, and per country calling code (SMS pumping). */
const SMS_CAP_WINDOW_MS = 60 * 60_000;
const SMS_CAP_PER_NUMBER = 5;
const SMS_CAP_PER_COUNTRY = 200;

export type SmsCaps = { perNumber: number; perCountry: number; windowMs: number };
/** The caps, with positive integer overrides from the environment (anything else is ignored). */
export function smsCaps(env: { SMS_CAP_PER_NUMBER?: string; SMS_CAP_PER_COUNTRY?: string }): SmsCaps {
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    perNumber: positive(env.SMS_CAP_PER_NUMBER, SMS_CAP_PER_NUMBER),
    perCountry: positive(env.SMS_CAP_PER_COUNTRY, SMS_CAP_PER_COUNTRY),
    windowMs: SMS_CAP_WINDOW_MS,
  };
}

export type Admission = { admitted: true } | { admitted: false; reason: string };

const COUNTS = `(SELECT count(*) FROM sms_sends WHERE recipient = ?2 AND sent_at > ?5) AS per_number,
  (SELECT count(*) FROM sms_sends WHERE country_code = ?3 AND sent_at > ?5) AS per_country`;

/**
 * Admits one SMS under both caps, atomically: one D1 batch prunes rows older than the window,
 * inserts this delivery's row only if both counts are under their caps (a single INSERT …
 * SELECT … WHERE, so concurrent sends cannot both take the last place), then reads whether the
 * row is there. A delivery admitted before (a retry after a provider error) stays admitted and
 * is not counted twice. Raw statements: the conditional insert has no query-builder form.
 * The caps are the environment's (`smsCaps`) unless given.
 */
export async function admitSms(
  ctx: NotificationsContext,
  input: { deliveryId: string; recipient: string; caps?: SmsCaps },
): Promise<Admission> {
  const { deliveryId, recipient } = input;
  const caps = input.caps ?? smsCaps(ctx.env);
  const { now } = ctx.meta;
  const d1 = ctx.db.$client;
  const country = countryCallingCode(recipient);
  const args = [deliveryId, recipient, country, now, now - caps.windowMs, caps.perNumber, caps.perCountry];
  const [, , result] = await d1.batch<{ admitted: number; per_number: number; per_country: number }>([
    d1.prepare("DELETE FROM sms_sends WHERE sent_at <= ?1").bind(now - caps.windowMs),
    d1
      .prepare(
        `INSERT INTO sms_sends (delivery_id, recipient, country_code, sent_at)
         SELECT ?1, ?2, ?3, ?4
         WHERE (SELECT count(*) FROM sms_sends WHERE recipient = ?2 AND sent_at > ?5) < ?6
           AND (SELECT count(*) FROM sms_sends WHERE country_code = ?3 AND sent_at > ?5) < ?7
         ON CONFLICT (delivery_id) DO NOTHING`,
      )
      .bind(...args),
    d1
      .prepare(`SELECT EXISTS (SELECT 1 FROM sms_sends WHERE delivery_id = ?1) AS admitted, ${COUNTS}`)
      .bind(deliveryId, recipient, country, now, now - caps.windowMs),
  ]);
  const row = result?.results[0];
  if (row?.admitted) return { admitted: true };
  return {
    admitted: false,
    reason:
      (row?.per_number ?? 0) >= caps.perNumber
        ? `capped: ${caps.perNumber} SMS per hour to this number`
        : `capped: ${caps.perCountry} SMS per hour to country code ${country}`,
  };
}
