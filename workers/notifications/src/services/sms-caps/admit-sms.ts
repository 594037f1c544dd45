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

export type AdmissionRow = { admitted: number; per_number: number; per_country: number };

export type AdmissionInput = {
  deliveryId: string;
  recipient: string;
  caps: SmsCaps;
  now: number;
  /**
   * Admit only if the delivery row `deliveryId` exists: set when these statements ride in the
   * batch that claims the delivery with that fresh id, so they admit only a claim that was made.
   */
  onlyIfClaimed?: boolean;
};

/**
 * The three statements that admit one SMS under both caps, atomically, for one D1 batch: prune
 * rows older than the window, insert this delivery's row only if both counts are under their
 * caps (a single INSERT … SELECT … WHERE, so concurrent sends cannot both take the last place),
 * then read whether the row is there (an `AdmissionRow`, for `admissionOf`). A delivery
 * admitted before (a retry after a provider error) stays admitted and is not counted twice.
 * Raw statements: the conditional insert has no query-builder form.
 */
export function admissionStatements(d1: D1Database, input: AdmissionInput): D1PreparedStatement[] {
  const { deliveryId, recipient, caps, now } = input;
  const country = countryCallingCode(recipient);
  const args = [deliveryId, recipient, country, now, now - caps.windowMs, caps.perNumber, caps.perCountry];
  const claimed = input.onlyIfClaimed ? "AND EXISTS (SELECT 1 FROM deliveries WHERE id = ?1)" : "";
  return [
    d1.prepare("DELETE FROM sms_sends WHERE sent_at <= ?1").bind(now - caps.windowMs),
    d1
      .prepare(
        `INSERT INTO sms_sends (delivery_id, recipient, country_code, sent_at)
         SELECT ?1, ?2, ?3, ?4
         WHERE (SELECT count(*) FROM sms_sends WHERE recipient = ?2 AND sent_at > ?5) < ?6
           AND (SELECT count(*) FROM sms_sends WHERE country_code = ?3 AND sent_at > ?5) < ?7
           ${claimed}
         ON CONFLICT (delivery_id) DO NOTHING`,
      )
      .bind(...args),
    d1
      .prepare(`SELECT EXISTS (SELECT 1 FROM sms_sends WHERE delivery_id = ?1) AS admitted, ${COUNTS}`)
      .bind(deliveryId, recipient, country, now, now - caps.windowMs),
  ];
}

/** The admission the last of `admissionStatements` read back. */
export function admissionOf(row: AdmissionRow | undefined, input: { recipient: string; caps: SmsCaps }): Admission {
  const { caps } = input;
  if (row?.admitted) return { admitted: true };
  return {
    admitted: false,
    reason:
      (row?.per_number ?? 0) >= caps.perNumber
        ? `capped: ${caps.perNumber} SMS per hour to this number`
        : `capped: ${caps.perCountry} SMS per hour to country code ${countryCallingCode(input.recipient)}`,
  };
}

/**
 * Admits one SMS under both caps in one D1 batch (`admissionStatements`). The caps are the
 * environment's (`smsCaps`) unless given.
 */
export async function admitSms(
  ctx: NotificationsContext,
  input: { deliveryId: string; recipient: string; caps?: SmsCaps },
): Promise<Admission> {
  const caps = input.caps ?? smsCaps(ctx.env);
  const d1 = ctx.db.$client;
  const results = await d1.batch<AdmissionRow>(
    admissionStatements(d1, { deliveryId: input.deliveryId, recipient: input.recipient, caps, now: ctx.meta.now }),
  );
  return admissionOf(results[2]?.results[0], { recipient: input.recipient, caps });
}
