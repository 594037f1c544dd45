import { DurableObject } from "cloudflare:workers";
import { type CallMeta, MAX_CART_LINES, type QuotedLine } from "@shop/contracts";
import { asc, count, eq } from "drizzle-orm";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import type { OrdersBindings } from "../env";
import {
  absorbLines,
  addItem,
  addPurchasable,
  admits,
  type CartStore,
  cartOwner,
  cartState,
  clearItems,
  GUEST_CART_TTL_MS,
  idleExpiry,
  linesWithAdded,
  NO_CART,
  presentedHash,
  removeItem,
  seal,
  setQuantity,
  takeOrdered,
  touch,
} from "../services/carts/cart-rules";
import { quoteLines, UnknownMarket } from "../services/carts/price-cart";
import type {
  CartAccess,
  CartItem,
  CartState,
  CartWrite,
  CartWriteFailure,
  QuotedCartWrite,
} from "../services/carts/types";
import migrations from "./migrations/cart/migrations.js";
import { appliedOrders, lines, mergedCarts, meta } from "./schema/cart";
import { hasStorage, migrateObject, type ObjectSchema } from "./schema/migrate";

/** The cart's schema (schema/cart.ts, ADR 0020): `meta` exists once a cart has been written. */
export const CART_SCHEMA: ObjectSchema = { migrations, marker: "meta" };

/** Thrown inside a transaction to roll back a cart that was being created by a refused write. */
class Refused extends Error {
  constructor(readonly code: CartWriteFailure) {
    super(code);
  }
}

/**
 * One shopping cart: an adapter from RPC calls to the cart rules (services/carts/cart-rules.ts).
 * Every call runs the rules in one synchronous SQLite transaction, so concurrent requests on
 * the same cart serialize and limits (≤ 50 lines, 1..99 each) hold without read-then-write
 * races. Prices are never stored: they are quoted on read.
 *
 * Storage is created by the first write, never by a read: anyone can name any cart, so a read
 * that created tables would let anonymous traffic fill storage. A guest cart keeps the SHA-256
 * of its secret in `meta`; without the matching secret it answers as a cart that does not
 * exist (ADR 0011).
 */
export class CartDO extends DurableObject<OrdersBindings> {
  private readonly store: CartStore;
  /** Whether this cart has storage, migrated to the current schema. */
  private migrated = false;

  constructor(ctx: DurableObjectState, env: OrdersBindings) {
    super(ctx, env);
    this.store = cartStore(drizzle(ctx.storage));
    // A cart that has storage is migrated before any request runs (ADR 0020); one that has
    // none gets its tables from its first write, never from a read (ADR 0011).
    ctx.blockConcurrencyWhile(async () => {
      if (!hasStorage(ctx.storage, CART_SCHEMA)) return;
      migrateObject(ctx.storage, CART_SCHEMA);
      this.migrated = true;
    });
  }

  async read(access: CartAccess): Promise<CartState> {
    const presented = await presentedHash(access);
    return admits(this.ctx.id.name, this.stored(), access, presented) ? cartState(this.stored()) : NO_CART;
  }

  async add(item: CartItem, access: CartAccess): Promise<CartWrite> {
    return this.write(access, (store) => addItem(store, item));
  }

  /**
   * Adds units at the catalog's word in one call (ADR 0024): this object quotes its lines, the
   * added units included, from products, then applies the cart rules (`addPurchasable`) and
   * writes in one transaction. The quotes come back with the write, so the caller prices the
   * cart without another call. Nothing is quoted for a caller the cart does not let in.
   * `market`: the shopper's market (ADR 0032): the quotes are in it and the cart remembers it;
   * absent, the cart's own market (else the default one).
   */
  async addQuoted(item: CartItem, access: CartAccess, meta: CallMeta, market?: string): Promise<QuotedCartWrite> {
    const presented = await presentedHash(access);
    const stored = this.stored();
    if (!this.letsIn(access, presented)) return { ok: false, code: "missing", state: NO_CART, quotes: [] };
    if (stored?.meta("merged_into")) return { ok: false, code: "merged", state: cartState(stored), quotes: [] };
    if (stored && stored.quantityOf(item.variantId) === null && stored.lineCount() >= MAX_CART_LINES) {
      return { ok: false, code: "too_many_lines", state: cartState(stored), quotes: [] };
    }
    const inMarket = market ?? stored?.meta("market");
    for (let attempt = 0; ; attempt++) {
      const lines = cartState(this.stored()).lines;
      let quotes: Map<string, QuotedLine>;
      try {
        quotes = await quoteLines(this.env, linesWithAdded(lines, item), meta, inMarket);
      } catch (err) {
        const code = err instanceof UnknownMarket ? "unknown_market" : "catalog_unavailable";
        return { ok: false, code, state: cartState(this.stored()), quotes: [] };
      }
      // Another request may have added a line while the catalog answered: quote once more.
      if (attempt === 0 && cartState(this.stored()).lines.some((l) => !quotes.has(l.variantId))) continue;
      const written = await this.write(access, (store) => {
        const refused = addPurchasable(store, item, (id) => quotes.get(id));
        if (refused === null && inMarket) store.putMeta("market", inMarket);
        return refused;
      });
      return { ...written, quotes: [...quotes.values()] };
    }
  }

  /**
   * Remembers the market the cart is now priced in (the shopper's changed, ADR 0032): a cart that
   * exists and lets the caller in; creates nothing.
   */
  async setMarket(market: string, access: CartAccess): Promise<void> {
    const presented = await presentedHash(access);
    const stored = this.stored();
    if (!stored || !admits(this.ctx.id.name, stored, access, presented) || stored.meta("merged_into")) return;
    if (stored.meta("market") !== market) this.transact(() => stored.putMeta("market", market));
  }

  /** Sets the quantity of the line of `item.variantId`. */
  async setQuantity(item: Pick<CartItem, "variantId" | "quantity">, access: CartAccess): Promise<CartWrite> {
    return this.write(access, (store) => setQuantity(store, item));
  }

  /** Removes the line of a variant. */
  async remove(variantId: string, access: CartAccess): Promise<CartWrite> {
    return this.write(access, (store) => removeItem(store, variantId));
  }

  async clear(access: CartAccess): Promise<CartWrite> {
    return this.write(access, clearItems);
  }

  /** Merges a guest cart's lines into this cart once per guest cart id. Only a user's cart absorbs. */
  async absorb(guestCartId: string, lines: CartItem[]): Promise<{ merged: boolean }> {
    if (!this.ownerAdmitted()) return { merged: false };
    return { merged: this.transact(() => absorbLines(this.store, guestCartId, lines)) };
  }

  /** Seals a guest cart after its lines moved into `userId`'s cart; it refuses further writes. Needs its secret. */
  async sealMerged(userId: string, access: CartAccess): Promise<{ sealed: boolean }> {
    const presented = await presentedHash(access);
    return this.ctx.storage.transactionSync(() => {
      if (access.kind !== "guest" || access.create || !admits(this.ctx.id.name, this.stored(), access, presented)) {
        return { sealed: false };
      }
      seal(this.store, userId);
      return { sealed: true };
    });
  }

  /** Takes the units an accepted order bought out of the (user's) cart, once per order. */
  async removeOrdered(orderId: string, lines: CartItem[]): Promise<{ applied: boolean }> {
    if (!this.ownerAdmitted()) return { applied: false };
    // The order id is recorded even on a cart with no storage yet: a retry must never take
    // units the shopper added after the order.
    return { applied: this.transact(() => takeOrdered(this.store, orderId, lines)) };
  }

  /** A guest cart's idle expiry (set once, at creation): deletes the cart unless it was written since. */
  override async alarm(): Promise<void> {
    const expiry = this.stored() ? idleExpiry(this.store) : 0;
    if (expiry > Date.now()) return this.ctx.storage.setAlarm(expiry);
    await this.ctx.storage.deleteAll();
    this.migrated = false;
  }

  /** Whether this is a user's cart, admitting its owner (a guest cart never takes another's lines). */
  private ownerAdmitted(): boolean {
    const owner = cartOwner(this.ctx.id.name);
    return owner !== null && admits(this.ctx.id.name, this.stored(), { kind: "user", userId: owner }, null);
  }

  /** Whether a write may go in: a new guest cart only on an unused name, otherwise the cart must admit the caller. */
  private letsIn(access: CartAccess, presented: string | null): boolean {
    return access.kind === "guest" && access.create === true
      ? this.stored() === null
      : admits(this.ctx.id.name, this.stored(), access, presented);
  }

  /** The cart's storage, or null while it has none. */
  private stored(): CartStore | null {
    return this.migrated || hasStorage(this.ctx.storage, CART_SCHEMA) ? this.store : null;
  }

  /**
   * Runs `fn` in one transaction, after creating or migrating this cart's tables in the same
   * transaction when it has none yet (only ever for a write that is let in): a new cart's
   * tables, secret and first line are one commit, and a refused first write leaves nothing.
   */
  private transact<T>(fn: () => T): T {
    const result = this.ctx.storage.transactionSync(() => {
      if (!this.migrated) migrateObject(this.ctx.storage, CART_SCHEMA);
      return fn();
    });
    this.migrated = true;
    return result;
  }

  private async write(access: CartAccess, change: (store: CartStore) => CartWriteFailure | null): Promise<CartWrite> {
    const presented = await presentedHash(access);
    // A new guest cart: only on a name nobody has used, and only if the write succeeds.
    const secretHash = access.kind === "guest" && access.create === true ? presented : null;
    if (!this.letsIn(access, presented)) return { ok: false, code: "missing", state: NO_CART };
    const now = Date.now();
    let outcome: CartWriteFailure | null;
    try {
      outcome = this.transact((): CartWriteFailure | null => {
        if (secretHash !== null) {
          this.store.setMeta("secret_hash", secretHash);
          const refused = change(this.store);
          // The rollback takes the tables made for this cart with it.
          if (refused) throw new Refused(refused);
        } else {
          if (!admits(this.ctx.id.name, this.store, access, presented)) return "missing";
          if (this.store.meta("merged_into")) return "merged";
          const refused = change(this.store);
          if (refused) return refused;
        }
        if (access.kind === "guest") touch(this.store, now);
        return null;
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      outcome = err.code;
    }
    if (outcome === "missing") return { ok: false, code: outcome, state: NO_CART };
    // The idle expiry's alarm is set once; it moves itself on while the cart is written (alarm()).
    if (secretHash !== null && outcome === null) await this.ctx.storage.setAlarm(now + GUEST_CART_TTL_MS);
    const state = cartState(this.stored());
    return outcome === null ? { ok: true, state } : { ok: false, code: outcome, state };
  }
}

/** The cart rules' storage over this object's tables (schema/cart.ts), through drizzle. */
function cartStore(db: DrizzleSqliteDODatabase): CartStore {
  return {
    lines: () =>
      db
        .select({ productId: lines.productId, variantId: lines.variantId, quantity: lines.quantity })
        .from(lines)
        .orderBy(asc(lines.addedAt), asc(lines.variantId))
        .all(),
    quantityOf: (variantId) =>
      db.select({ quantity: lines.quantity }).from(lines).where(eq(lines.variantId, variantId)).get()?.quantity ?? null,
    lineCount: () => db.select({ n: count() }).from(lines).get()?.n ?? 0,
    putLine: ({ productId, variantId }, quantity) => {
      db.insert(lines)
        .values({ variantId, productId, quantity, addedAt: Date.now() })
        .onConflictDoUpdate({ target: lines.variantId, set: { quantity } })
        .run();
    },
    deleteLine: (variantId) => {
      db.delete(lines).where(eq(lines.variantId, variantId)).run();
    },
    clearLines: () => {
      db.delete(lines).run();
    },
    meta: (key) => db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)).get()?.value,
    setMeta: (key, value) => {
      db.insert(meta).values({ key, value }).onConflictDoNothing().run();
    },
    putMeta: (key, value) => {
      db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
    },
    recordMerged: (cartId) =>
      db
        .insert(mergedCarts)
        .values({ cartId, mergedAt: Date.now() })
        .onConflictDoNothing()
        .returning({ cartId: mergedCarts.cartId })
        .all().length > 0,
    recordApplied: (orderId) =>
      db
        .insert(appliedOrders)
        .values({ orderId, appliedAt: Date.now() })
        .onConflictDoNothing()
        .returning({ orderId: appliedOrders.orderId })
        .all().length > 0,
  };
}
