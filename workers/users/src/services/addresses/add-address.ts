import { type Address, type AddressBody, MAX_ADDRESSES } from "@shop/contracts/addresses";
import { Conflict, callerOf, claimIdempotent, newId, requestFingerprint } from "@shop/runtime";
import { and, eq, sql } from "drizzle-orm";
import { addresses } from "../../db/schema";
import type { UsersContext } from "../../env";
import { makeDefault, ownAddress, publicAddress } from "./address-row";

/**
 * Saves a new address for the caller, in one D1 batch (a transaction): the insert, its removal
 * again if that made more than `MAX_ADDRESSES` (→ Conflict, nothing kept), and — with
 * `isDefaultShipping` — the default moved to it. With an Idempotency-Key the new id is claimed
 * up front (ADR 0018, `claimIdempotent`), and the insert does nothing when that id exists: a
 * retry of the same request answers the same address instead of saving a second one.
 */
export async function addAddress(
  ctx: UsersContext,
  body: AddressBody,
  idempotencyKey?: string,
): Promise<{ address: Address; replayed: boolean }> {
  const { db } = ctx;
  const { userId } = callerOf(ctx);
  const at = new Date(ctx.meta.now).toISOString();
  const decided = { addressId: newId("address") };
  const claim = idempotencyKey
    ? await claimIdempotent(
        ctx.env.DB,
        { scope: `address:${userId}`, key: idempotencyKey, fingerprint: await requestFingerprint(body) },
        decided,
      )
    : { value: decided, replayed: false };
  const id = claim.value.addressId;
  const { isDefaultShipping, ...fields } = body;
  const tooMany = sql`(SELECT count(*) FROM ${addresses} WHERE ${addresses.userId} = ${userId}) > ${MAX_ADDRESSES}`;
  const results = await db.batch([
    db
      .insert(addresses)
      .values({
        id,
        userId,
        name: fields.name,
        line1: fields.line1,
        line2: fields.line2 || null,
        city: fields.city,
        region: fields.region || null,
        postalCode: fields.postalCode,
        country: fields.country,
        phone: fields.phone ?? null,
        isDefaultShipping: false,
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoNothing({ target: addresses.id }),
    db.delete(addresses).where(and(eq(addresses.id, id), tooMany)),
    ...(isDefaultShipping ? makeDefault(db, userId, id, at) : []),
    db.select().from(addresses).where(ownAddress(userId, id)),
  ]);
  const row = (results.at(-1) as (typeof addresses.$inferSelect)[])[0];
  if (!row) {
    throw new Conflict("conflict", `An address book holds at most ${MAX_ADDRESSES} addresses; delete one first.`, [
      { path: "addresses", message: `at most ${MAX_ADDRESSES}` },
    ]);
  }
  return { address: publicAddress(row), replayed: claim.replayed };
}
