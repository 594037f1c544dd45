import { AppError, conflict, problemBody } from "@shop/runtime";
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { idempotencyKeys } from "../../db/schema";

/** Keys are honoured for 24 hours, as Stripe does. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long an `in_flight` claim holds its key. It must outlast the longest a live request can
 * keep running — the gateway call (Stripe: 10 s timeout, 1 network retry, so ≈ 20 s plus
 * back-off) and a dozen D1 round trips — or a slow but healthy request would be overtaken and
 * its work done twice. It must also be short, because a claim whose worker crashed is never
 * released: the next request with the same key and body takes it over after this long instead
 * of getting 409 for 24 h. 60 s is three times the worst live request.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;

export type StoredResponse = { status: number; body: unknown; replayed: boolean };

type Claim = { scope: string; key: string; fingerprint: string };

/**
 * Stripe's Idempotency-Key semantics for one mutating route. The first request claims the key
 * with an `in_flight` row (the UNIQUE (scope, key) index decides races); the response it ends
 * with (2xx or 4xx) is stored and replayed to every later request with the same body. Same key,
 * other body → 422; same key while the first is still running → 409. A 5xx frees the key, so
 * the client can retry. A crash frees nothing, so the claim is a lease: once it is older than
 * `IDEMPOTENCY_LEASE_MS` the next request with the same body takes it over. The work behind the
 * key must therefore be safe to run again after a partial first run (refunds are: the refund row
 * is keyed by the same key and the gateway call by the refund id).
 *
 * The claim's `created_at` is its lease token: a takeover moves it, and the holder finishes or
 * releases only `WHERE created_at = <its own claim>`, so an overtaken slow request cannot
 * overwrite or delete the claim of the request that took over.
 */
export async function runIdempotent(
  db: Db,
  claim: Claim,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const now = Date.now();
  const claimedAt = new Date(now).toISOString();
  const where = and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key));
  await db
    .delete(idempotencyKeys)
    .where(and(where, lt(idempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_TTL_MS).toISOString())));
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ ...claim, state: "in_flight", createdAt: claimedAt })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });

  if (!claimed.length) {
    const prior = await db.select().from(idempotencyKeys).where(where).get();
    if (!prior) throw conflict("idempotency_in_flight", "Retry this request: its idempotency key was just released.");
    if (prior.fingerprint !== claim.fingerprint) {
      throw new AppError(
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was used with a different request; use a new key for a new request.",
      );
    }
    if (prior.state === "done" && prior.responseStatus !== null) {
      return { status: prior.responseStatus, body: JSON.parse(prior.responseBody ?? "null"), replayed: true };
    }
    if (!(await takeOverStaleLease(db, claim, prior.createdAt, now, claimedAt))) {
      throw conflict("idempotency_in_flight", "A request with this Idempotency-Key is still in progress.");
    }
  }

  const mine = and(where, eq(idempotencyKeys.state, "in_flight"), eq(idempotencyKeys.createdAt, claimedAt));
  let result: { status: number; body: unknown };
  try {
    result = await run();
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      result = { status: err.status, body: problemBody(err.status, err.code, err.detail, undefined, err.errors) };
    } else {
      await db.delete(idempotencyKeys).where(mine);
      throw err;
    }
  }
  await db
    .update(idempotencyKeys)
    .set({ state: "done", responseStatus: result.status, responseBody: JSON.stringify(result.body) })
    .where(mine);
  return { ...result, replayed: false };
}

/**
 * Takes over an `in_flight` claim whose lease ran out. One conditional UPDATE, matched on the
 * old claim's timestamp: of several callers that saw the same stale claim, exactly one moves
 * it; the others match no row and answer 409 like any request behind a live claim.
 */
async function takeOverStaleLease(
  db: Db,
  claim: Claim,
  priorClaimedAt: string,
  now: number,
  claimedAt: string,
): Promise<boolean> {
  if (priorClaimedAt >= new Date(now - IDEMPOTENCY_LEASE_MS).toISOString()) return false;
  const taken = await db
    .update(idempotencyKeys)
    .set({ createdAt: claimedAt })
    .where(
      and(
        eq(idempotencyKeys.scope, claim.scope),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.fingerprint, claim.fingerprint),
        eq(idempotencyKeys.state, "in_flight"),
        eq(idempotencyKeys.createdAt, priorClaimedAt),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return taken.length === 1;
}

/** Cron: forget keys older than 24 h. */
export async function expireIdempotencyKeys(db: Db): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString()));
}
