import { AppError, conflict, problemBody } from "@shop/runtime";
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { idempotencyKeys } from "../../db/schema";

/** Keys are honoured for 24 hours, as Stripe does. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export type StoredResponse = { status: number; body: unknown; replayed: boolean };

/**
 * Stripe's Idempotency-Key semantics for one mutating route. The first request claims the key
 * with an `in_flight` row (the UNIQUE (scope, key) index decides races); the response it ends
 * with (2xx or 4xx) is stored and replayed to every later request with the same body. Same key,
 * other body → 422; same key while the first is still running → 409. A 5xx or crash frees the
 * key, so the client can retry.
 */
export async function runIdempotent(
  db: Db,
  claim: { scope: string; key: string; fingerprint: string },
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const now = Date.now();
  const where = and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key));
  await db
    .delete(idempotencyKeys)
    .where(and(where, lt(idempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_TTL_MS).toISOString())));
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ ...claim, state: "in_flight", createdAt: new Date(now).toISOString() })
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
    if (prior.state === "in_flight" || prior.responseStatus === null) {
      throw conflict("idempotency_in_flight", "A request with this Idempotency-Key is still in progress.");
    }
    return { status: prior.responseStatus, body: JSON.parse(prior.responseBody ?? "null"), replayed: true };
  }

  let result: { status: number; body: unknown };
  try {
    result = await run();
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      result = { status: err.status, body: problemBody(err.status, err.code, err.detail, undefined, err.errors) };
    } else {
      await db.delete(idempotencyKeys).where(where);
      throw err;
    }
  }
  await db
    .update(idempotencyKeys)
    .set({ state: "done", responseStatus: result.status, responseBody: JSON.stringify(result.body) })
    .where(where);
  return { ...result, replayed: false };
}

/** Cron: forget keys older than 24 h. */
export async function expireIdempotencyKeys(db: Db): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString()));
}
