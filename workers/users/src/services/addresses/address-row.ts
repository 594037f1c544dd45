import type { Address, AddressCountry } from "@shop/contracts/addresses";
import { and, desc, eq, sql } from "drizzle-orm";
import { type AddressRow, addresses } from "../../db/schema";
import type { UsersContext } from "../../env";

/** The public shape of a stored address. */
export function publicAddress(row: AddressRow): Address {
  return {
    id: row.id,
    name: row.name,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    region: row.region,
    postalCode: row.postalCode,
    country: row.country as AddressCountry,
    phone: row.phone,
    isDefaultShipping: row.isDefaultShipping,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** `userId`'s address `id`, or none: another user's address is as missing as an unknown one. */
export const ownAddress = (userId: string, id: string) => and(eq(addresses.id, id), eq(addresses.userId, userId));

/** The caller's addresses in list order: the default first, then oldest first. */
export function addressesOf(db: UsersContext["db"], userId: string) {
  return db
    .select()
    .from(addresses)
    .where(eq(addresses.userId, userId))
    .orderBy(desc(addresses.isDefaultShipping), addresses.createdAt, addresses.id);
}

/**
 * The two statements that make `id` the default shipping address, for one batch (a
 * transaction): clear the user's other default — only if `id` exists and is theirs, so an
 * unknown id changes nothing — then mark `id`. The partial UNIQUE index refuses a second
 * default if anything ever tried; concurrent batches are serialized by D1.
 */
export function makeDefault(db: UsersContext["db"], userId: string, id: string, at: string) {
  return [
    db
      .update(addresses)
      .set({ isDefaultShipping: false, updatedAt: at })
      .where(
        and(
          eq(addresses.userId, userId),
          eq(addresses.isDefaultShipping, true),
          sql`${addresses.id} <> ${id}`,
          sql`EXISTS (SELECT 1 FROM ${addresses} WHERE ${addresses.id} = ${id} AND ${addresses.userId} = ${userId})`,
        ),
      ),
    db.update(addresses).set({ isDefaultShipping: true, updatedAt: at }).where(ownAddress(userId, id)),
  ] as const;
}
