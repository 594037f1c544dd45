import type { AddressList } from "@shop/contracts/addresses";
import { callerOf } from "@shop/runtime";
import type { UsersContext } from "../../env";
import { addressesOf, publicAddress } from "./address-row";

/** The caller's saved addresses, the default shipping address first. */
export async function listAddresses(ctx: UsersContext): Promise<AddressList> {
  const { userId } = callerOf(ctx);
  const rows = await addressesOf(ctx.db, userId);
  return { items: rows.map(publicAddress) };
}
