import type { OrdersBindings } from "../../env";

/** The first number of the sequence: every order placed since numbers exist is #10000 or above (ADR 0013). */
export const ORDER_NUMBER_BASE = 10_000;

/** Allocator shards: a placement draws from one of them, so no single object takes every checkout. */
export const ORDER_NUMBER_SHARDS = 8;

/** FNV-1a of the order id, folded onto the shards: ULIDs are random enough to spread evenly. */
export function shardOf(orderId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < orderId.length; i++) {
    hash ^= orderId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % ORDER_NUMBER_SHARDS;
}

/**
 * A fresh number for `orderId` from its shard. Each call hands out a new number: the caller
 * (the OrderDO) stores it with the order and never asks again for the same order.
 */
export async function allocateOrderNumber(
  env: Pick<OrdersBindings, "ORDER_NUMBERS">,
  orderId: string,
): Promise<number> {
  const shard = shardOf(orderId);
  const stub = env.ORDER_NUMBERS.get(env.ORDER_NUMBERS.idFromName(`shard-${shard}`));
  return stub.next(shard);
}
