import type { Channel } from "@shop/contracts";
import { newId } from "@shop/runtime";
import type { NotificationsContext } from "../../env";
import type { Candidate, Condition, StoredFacts } from "../notifications/choose-channels";
import { DEFAULT_PREFERENCES } from "../preferences/get";
import { type Admission, type AdmissionRow, admissionOf, admissionStatements, smsCaps } from "../sms-caps/admit-sms";

/** A `pending` claim older than this is a crashed send and may be taken over. */
const STALE_CLAIM_MS = 120_000;

/**
 * The right to send one channel of a message, or why there is none. A fresh SMS claim carries
 * its admission under the caps (decided in the same batch); a taken-over one has none yet.
 */
export type Claim =
  | { claimed: true; id: string; admission?: Admission }
  | { claimed: false; status: "sent" | "failed" | "in_flight" };

export type ClaimInput = {
  messageId: string;
  userId: string;
  type: string;
  subject: string | null;
  /** The channels the message and the contact allow; each is claimed only if its conditions hold. */
  candidates: Candidate[];
};

const bit = (b: boolean) => (b ? 1 : 0);

/** A candidate's condition in SQL (?4 the user id, ?6 the recipient): what `meets` checks in code. */
const CONDITION_SQL: Record<Condition, string> = {
  emailDeliverable: "NOT EXISTS (SELECT 1 FROM undeliverable_addresses WHERE address = ?6)",
  emailOptional: `coalesce((SELECT email_optional FROM preferences WHERE user_id = ?4), ${bit(DEFAULT_PREFERENCES.emailOptional)}) = 1`,
  sms: `coalesce((SELECT sms FROM preferences WHERE user_id = ?4), ${bit(DEFAULT_PREFERENCES.sms)}) = 1`,
};

/**
 * Claims every channel a message is due on, once per (message, channel), in ONE D1 batch (one
 * transaction) that also reads what the send needs:
 * 1. the user's stored preferences and whether the email address is undeliverable;
 * 2. per candidate channel, one statement that inserts a `pending` row, or takes over a
 *    retryable failure or a stale claim — only if the candidate's conditions hold against
 *    those same tables (an INSERT … SELECT … WHERE … ON CONFLICT DO UPDATE … WHERE … RETURNING);
 *    no row back means someone else sent it, it failed for good, it is being sent right now,
 *    or the user's choices rule the channel out;
 * 3. for an SMS candidate, its admission under the caps (sms-caps/admit-sms.ts), which counts
 *    only if the claim inserted the fresh id chosen here (a taken-over claim keeps its row's id
 *    and is admitted on its own afterwards, as before);
 * 4. the message's delivery rows, for the channels not claimed.
 * The claim is dated when the delivery attempt began (`ctx.meta.now`): an attempt ends long
 * before a claim goes stale. Raw statements: the conditional upsert has no query-builder form.
 */
export async function claimChannels(
  ctx: NotificationsContext,
  input: ClaimInput,
): Promise<{ facts: StoredFacts; claims: Map<Channel, Claim> }> {
  const d1 = ctx.db.$client;
  const { now } = ctx.meta;
  const { messageId, userId, type, subject, candidates } = input;
  const email = candidates.find((c) => c.channel === "email");
  const sms = candidates.find((c) => c.channel === "sms");
  const ids = new Map(candidates.map((c) => [c.channel, newId("notification")]));

  const reads = [
    d1.prepare("SELECT email_optional, sms FROM preferences WHERE user_id = ?1").bind(userId),
    d1
      .prepare("SELECT 1 AS undeliverable FROM undeliverable_addresses WHERE address = ?1")
      .bind(email?.recipient ?? ""),
  ];
  const claims = candidates.map((c) =>
    d1
      .prepare(
        `INSERT INTO deliveries (id, message_id, channel, user_id, type, status, retryable, recipient, subject,
           attempts, claimed_at, created_at, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?7, 1, ?8, ?8, ?8
         WHERE ${c.conditions.map((k) => CONDITION_SQL[k]).join(" AND ") || "true"}
         ON CONFLICT (message_id, channel) DO UPDATE SET status = 'pending', retryable = 0,
           recipient = excluded.recipient, attempts = attempts + 1, claimed_at = excluded.claimed_at,
           updated_at = excluded.updated_at
         WHERE (status = 'failed' AND retryable = 1) OR (status = 'pending' AND claimed_at < ?9)
         RETURNING id`,
      )
      .bind(ids.get(c.channel), messageId, c.channel, userId, type, c.recipient, subject, now, now - STALE_CLAIM_MS),
  );
  const caps = smsCaps(ctx.env);
  const smsId = sms ? ids.get("sms") : undefined;
  const admission =
    sms && smsId
      ? admissionStatements(d1, { deliveryId: smsId, recipient: sms.recipient, caps, now, onlyIfClaimed: true })
      : [];
  const rows = d1.prepare("SELECT channel, status FROM deliveries WHERE message_id = ?1").bind(messageId);

  const results = await d1.batch([...reads, ...claims, ...admission, rows]);
  const at = (i: number) => (results[i]?.results ?? []) as Record<string, unknown>[];

  const pref = at(0)[0] as { email_optional: number; sms: number } | undefined;
  const facts: StoredFacts = {
    preferences: pref ? { emailOptional: pref.email_optional === 1, sms: pref.sms === 1 } : DEFAULT_PREFERENCES,
    emailUndeliverable: at(1).length > 0,
  };
  const statusOf = new Map(
    at(results.length - 1).map((r) => [r.channel as Channel, r.status as "pending" | "sent" | "failed"]),
  );
  const admissionRow = admission.length ? (at(reads.length + claims.length + 2)[0] as AdmissionRow) : undefined;
  const out = new Map<Channel, Claim>();
  candidates.forEach((c, i) => {
    const id = at(reads.length + i)[0]?.id as string | undefined;
    if (id === undefined) {
      const status = statusOf.get(c.channel);
      out.set(c.channel, { claimed: false, status: status === "pending" || !status ? "in_flight" : status });
    } else if (c.channel === "sms" && id === smsId) {
      out.set(c.channel, { claimed: true, id, admission: admissionOf(admissionRow, { recipient: c.recipient, caps }) });
    } else {
      out.set(c.channel, { claimed: true, id });
    }
  });
  return { facts, claims: out };
}
