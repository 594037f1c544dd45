import { IDEMPOTENCY_KEY_TTL_SECONDS } from "@shop/contracts";
import { and, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { AppError } from "../errors";
import { type IdempotencyRecord, idempotencyRecords } from "./table";

const TTL_MS = IDEMPOTENCY_KEY_TTL_SECONDS * 1000;

/**
 * How long an `in_flight` claim holds its key. It must outlast the longest a live request can
 * keep running — a refund's gateway call (Stripe: 10 s timeout, 1 network retry, so ≈ 20 s plus
 * back-off) and a dozen D1 round trips — or a slow but healthy request would be overtaken and
 * its work done twice. It must also be short, because a claim whose worker crashed is never
 * released: the next request with the same key and body takes it over after this long instead
 * of getting 409 for 24 h. 60 s is three times the worst live request.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;

/** Who may reuse a key (`scope`, e.g. route and user), the key, and the request's fingerprint. */
export type IdempotencyClaim = { scope: string; key: string; fingerprint: string };

/**
 * What is kept under a key: the service's JSON value, or the code and detail of a domain
 * refusal (the route maps both to HTTP; an HTTP status or body is never stored).
 */
export type IdempotentOutcome<T> = { ok: true; value: T } | { ok: false; code: string; detail: string };

/** An outcome and whether it is a replay (an earlier request with the key decided it). */
export type Idempotent<T> = IdempotentOutcome<T> & { replayed: boolean };

/** Same key, other request: the key belongs to the first request for 24 h. */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super("This Idempotency-Key was used with a different request; use a new key for a new request.");
    this.name = "IdempotencyKeyReusedError";
  }
}

/** Same key and request while the first is still running (its lease has not run out). */
export class IdempotencyInFlightError extends Error {
  constructor() {
    super("A request with this Idempotency-Key is still in progress; retry shortly.");
    this.name = "IdempotencyInFlightError";
  }
}

/** The HTTP answer to an idempotency refusal — 422 key reused, 409 in flight — else undefined. */
export function idempotencyProblem(err: unknown): AppError | undefined {
  if (err instanceof IdempotencyKeyReusedError) return new AppError(422, "idempotency_key_reused", err.message);
  if (err instanceof IdempotencyInFlightError) {
    return new AppError(409, "idempotency_in_flight", err.message, undefined, { "retry-after": "1" });
  }
  return undefined;
}

function whereKey(claim: IdempotencyClaim) {
  return and(eq(idempotencyRecords.scope, claim.scope), eq(idempotencyRecords.key, claim.key));
}

/**
 * One D1 batch (a transaction): forget this key if it expired, insert the record unless one
 * exists, read the record. The primary key decides races: exactly one caller gets `won`.
 */
async function claimRecord(
  d1: D1Database,
  claim: IdempotencyClaim,
  now: number,
  fresh: Pick<IdempotencyRecord, "state" | "outcome">,
): Promise<{ won: boolean; record: IdempotencyRecord }> {
  const db = drizzle(d1);
  const [, inserted, rows] = await db.batch([
    db.delete(idempotencyRecords).where(and(whereKey(claim), lt(idempotencyRecords.createdAt, now - TTL_MS))),
    db
      .insert(idempotencyRecords)
      .values({ ...claim, ...fresh, createdAt: now, claimedAt: now })
      .onConflictDoNothing()
      .returning({ key: idempotencyRecords.key }),
    db.select().from(idempotencyRecords).where(whereKey(claim)),
  ]);
  const record = rows[0];
  if (!record) throw new Error("idempotency record vanished inside its own transaction");
  if (!inserted.length && record.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError();
  return { won: inserted.length === 1, record };
}

function replay<T>(record: IdempotencyRecord): Idempotent<T> {
  return { ...(JSON.parse(record.outcome ?? "null") as IdempotentOutcome<T>), replayed: true };
}

/**
 * Stripe's Idempotency-Key semantics around `run`. The first request claims the key with an
 * `in_flight` record and runs; the outcome `run` returns — a value or a domain refusal — is
 * stored and replayed (`replayed: true`) to every later request with the same fingerprint for
 * 24 h. Same key, other fingerprint → {@link IdempotencyKeyReusedError}; same key while the first
 * is still running → {@link IdempotencyInFlightError}. If `run` throws (a 5xx, anything
 * unexpected) the key is freed and the error rethrown, so the client can retry.
 *
 * A crash frees nothing, so the claim is a lease: once older than {@link IDEMPOTENCY_LEASE_MS}
 * the next request with the same fingerprint takes it over (one conditional UPDATE on the old
 * `claimed_at` decides between racers) and runs again — the work behind the key must be safe to
 * repeat after a partial first run. `claimed_at` is the lease token: the holder stores or frees
 * only `WHERE claimed_at = <its own claim>`, so an overtaken slow request cannot overwrite or
 * free the record of the request that took over.
 *
 * When the outcome can be decided before any work is done (orders: the new order's id), use
 * {@link claimIdempotent} instead: no lease, no 409, every concurrent caller learns the outcome.
 */
export async function runIdempotent<T>(
  d1: D1Database,
  claim: IdempotencyClaim,
  run: () => Promise<IdempotentOutcome<T>>,
): Promise<Idempotent<T>> {
  const now = Date.now();
  const { won, record } = await claimRecord(d1, claim, now, { state: "in_flight", outcome: null });
  if (!won) {
    if (record.state === "done") return replay(record);
    if (!(await takeOverStaleLease(d1, claim, record.claimedAt, now))) throw new IdempotencyInFlightError();
  }

  const db = drizzle(d1);
  const mine = and(whereKey(claim), eq(idempotencyRecords.state, "in_flight"), eq(idempotencyRecords.claimedAt, now));
  let outcome: IdempotentOutcome<T>;
  try {
    outcome = await run();
  } catch (err) {
    await db.delete(idempotencyRecords).where(mine);
    throw err;
  }
  await db
    .update(idempotencyRecords)
    .set({ state: "done", outcome: JSON.stringify(outcome) })
    .where(mine);
  return { ...outcome, replayed: false };
}

/**
 * Takes over an `in_flight` claim whose lease ran out. Of several callers that saw the same
 * stale claim, exactly one moves `claimed_at`; the others match no row and answer 409.
 */
async function takeOverStaleLease(
  d1: D1Database,
  claim: IdempotencyClaim,
  priorClaimedAt: number,
  now: number,
): Promise<boolean> {
  if (priorClaimedAt >= now - IDEMPOTENCY_LEASE_MS) return false;
  const taken = await drizzle(d1)
    .update(idempotencyRecords)
    .set({ claimedAt: now })
    .where(
      and(
        whereKey(claim),
        eq(idempotencyRecords.fingerprint, claim.fingerprint),
        eq(idempotencyRecords.state, "in_flight"),
        eq(idempotencyRecords.claimedAt, priorClaimedAt),
      ),
    )
    .returning({ key: idempotencyRecords.key });
  return taken.length === 1;
}

/**
 * The same claim with its outcome decided up front, for work that is itself idempotent on that
 * outcome. The record is born `done` holding `decided`, so there is no lease and no 409: of any
 * number of concurrent callers with the same key and fingerprint exactly one stores its
 * `decided` (`replayed: false`) and every other gets that one back (`replayed: true`) at once;
 * each then does the work with it. `POST /orders` decides the new order's id here and every
 * caller then asks the OrderDO of that id, which places the order once and replays its answer.
 * Same key, other fingerprint → {@link IdempotencyKeyReusedError}, as with {@link runIdempotent}
 * (same table, TTL and expiry). A scope must use one of the two functions, not both.
 */
export async function claimIdempotent<T>(
  d1: D1Database,
  claim: IdempotencyClaim,
  decided: T,
): Promise<{ value: T; replayed: boolean }> {
  const outcome: IdempotentOutcome<T> = { ok: true, value: decided };
  const { won, record } = await claimRecord(d1, claim, Date.now(), {
    state: "done",
    outcome: JSON.stringify(outcome),
  });
  if (won) return { value: decided, replayed: false };
  if (record.state !== "done") throw new IdempotencyInFlightError();
  const stored = replay<T>(record);
  if (!stored.ok) throw new Error(`idempotency scope ${claim.scope} holds a refusal, not a decided outcome`);
  return { value: stored.value, replayed: true };
}

/** Cron: forgets every record older than the TTL (claims also ignore their own expired one). */
export async function forgetExpiredIdempotencyRecords(d1: D1Database, now = Date.now()): Promise<void> {
  await drizzle(d1)
    .delete(idempotencyRecords)
    .where(lt(idempotencyRecords.createdAt, now - TTL_MS));
}
