import { callerOf, NotFound } from "@shop/runtime";
import { addresses } from "../../db/schema";
import type { UsersContext } from "../../env";
import { ownAddress } from "./address-row";

/**
 * Deletes one of the caller's addresses (the default too: then there is none). Unknown, already
 * deleted or another user's → NotFound, so a repeat changes nothing and reveals nothing.
 */
export async function deleteAddress(ctx: UsersContext, id: string): Promise<void> {
  const deleted = await ctx.db
    .delete(addresses)
    .where(ownAddress(callerOf(ctx).userId, id))
    .returning({ id: addresses.id });
  if (deleted.length === 0) throw new NotFound("The address");
}
