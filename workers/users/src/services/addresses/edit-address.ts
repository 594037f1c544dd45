import { type Address, type AddressPatch, addressFieldErrors } from "@shop/contracts/addresses";
import { callerOf, Invalid, NotFound } from "@shop/runtime";
import { addresses } from "../../db/schema";
import type { UsersContext } from "../../env";
import { makeDefault, ownAddress, publicAddress } from "./address-row";

/**
 * Changes fields of one of the caller's addresses (absolute values: a repeat changes nothing
 * more). The stored address merged with the change is checked for its country (a new country
 * needs a postal code that fits it). `isDefaultShipping: true` moves the default here in the
 * same batch; `false` on the default leaves the user without one. Another user's id → NotFound.
 */
export async function editAddress(ctx: UsersContext, id: string, patch: AddressPatch): Promise<Address> {
  const { db } = ctx;
  const { userId } = callerOf(ctx);
  const current = await db.select().from(addresses).where(ownAddress(userId, id)).get();
  if (!current) throw new NotFound("The address");
  const { isDefaultShipping, ...fields } = patch;
  const merged = {
    country: fields.country ?? (current.country as NonNullable<AddressPatch["country"]>),
    postalCode: fields.postalCode ?? current.postalCode,
    region: fields.region === undefined ? current.region : fields.region,
  };
  const errors = addressFieldErrors(merged);
  if (errors.length > 0) throw new Invalid(errors, "body");

  const at = new Date(ctx.meta.now).toISOString();
  const changes = {
    updatedAt: at,
    ...fields,
    ...(fields.line2 !== undefined ? { line2: fields.line2 || null } : {}),
    ...(fields.region !== undefined ? { region: fields.region || null } : {}),
  };
  const results = await db.batch([
    db.update(addresses).set(changes).where(ownAddress(userId, id)),
    ...(isDefaultShipping === true ? makeDefault(db, userId, id, at) : []),
    ...(isDefaultShipping === false
      ? [db.update(addresses).set({ isDefaultShipping: false }).where(ownAddress(userId, id))]
      : []),
    db.select().from(addresses).where(ownAddress(userId, id)),
  ]);
  const row = (results.at(-1) as (typeof addresses.$inferSelect)[])[0];
  if (!row) throw new NotFound("The address");
  return publicAddress(row);
}
