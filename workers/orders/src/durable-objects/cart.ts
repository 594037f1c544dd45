import { DurableObject } from "cloudflare:workers";
import { MAX_CART_LINES } from "@shop/contracts";
import { sha256Hex } from "@shop/runtime";
import type { OrdersBindings } from "../env";
import migrations from "./migrations/cart/migrations.js";
import { hasStorage, migrateObject, type ObjectSchema } from "./schema/migrate";

/** The cart's schema (schema/cart.ts, ADR 0020): `meta` exists once a cart has been written. */
export const CART_SCHEMA: ObjectSchema = { migrations, marker: "meta" };

export type CartItem = { productId: string; quantity: number };
/** `exists: false` is both "never written" and "not yours": a caller cannot tell them apart. */
export type CartState = { exists: boolean; lines: CartItem[]; mergedInto: string | null };
export type CartWriteFailure = "too_many_lines" | "quantity_limit" | "line_not_found" | "merged" | "missing";
export type CartWrite = { ok: true; state: CartState } | { ok: false; code: CartWriteFailure; state: CartState };
/**
 * Who is asking. `user`: the worker authorized the signed-in owner, whose id names this cart.
 * `guest`: whoever presents the guest cart's secret; `create` starts a new guest cart under
 * that secret and is only for an id the worker has just minted.
 */
export type CartAccess = { kind: "user"; userId: string } | { kind: "guest"; secret: string; create?: boolean };

const MAX_QUANTITY = 99;
/** A guest cart nobody touched for this long is deleted. */
const GUEST_CART_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const NO_CART: CartState = { exists: false, lines: [], mergedInto: null };

/** Thrown inside a transaction to roll back a cart that was being created by a refused write. */
class Refused extends Error {
  constructor(readonly code: CartWriteFailure) {
    super(code);
  }
}

/**
 * One shopping cart. Every method runs in one synchronous SQLite transaction, so
 * concurrent requests on the same cart serialize and limits (≤ 50 lines, 1..99 each)
 * hold without read-then-write races. Prices are never stored: they are quoted on read.
 *
 * Storage is created by the first write, never by a read: anyone can name any cart, so a
 * read that created tables would let anonymous traffic fill storage. A guest cart keeps the
 * SHA-256 of its secret in `meta`; without the matching secret it answers as a cart that
 * does not exist (ADR 0011).
 */
export class CartDO extends DurableObject<OrdersBindings> {
  private readonly sql: SqlStorage;
  /** Whether this cart has storage, migrated to the current schema. */
  private migrated = false;

  constructor(ctx: DurableObjectState, env: OrdersBindings) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // A cart that has storage is migrated before any request runs (ADR 0020); one that has
    // none gets its tables from its first write, never from a read (ADR 0011).
    ctx.blockConcurrencyWhile(async () => {
      if (hasStorage(ctx.storage, CART_SCHEMA)) await this.ensureMigrated();
    });
  }

  async read(access: CartAccess): Promise<CartState> {
    const presented = await presentedHash(access);
    return this.admits(access, presented) ? this.state() : NO_CART;
  }

  /** Adds to a line (quantities sum) or starts one. Refuses beyond 99 units or 50 lines. */
  async add(item: CartItem, access: CartAccess): Promise<CartWrite> {
    return this.write(access, () => {
      const existing = this.quantityOf(item.productId);
      if (existing === null) {
        const count = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM lines").one().n;
        if (count >= MAX_CART_LINES) return "too_many_lines" as const;
        this.sql.exec(
          "INSERT INTO lines (product_id, quantity, added_at) VALUES (?, ?, ?)",
          item.productId,
          item.quantity,
          Date.now(),
        );
        return null;
      }
      if (existing + item.quantity > MAX_QUANTITY) return "quantity_limit";
      this.sql.exec("UPDATE lines SET quantity = ? WHERE product_id = ?", existing + item.quantity, item.productId);
      return null;
    });
  }

  async setQuantity(item: CartItem, access: CartAccess): Promise<CartWrite> {
    return this.write(access, () => {
      if (this.quantityOf(item.productId) === null) return "line_not_found";
      this.sql.exec("UPDATE lines SET quantity = ? WHERE product_id = ?", item.quantity, item.productId);
      return null;
    });
  }

  async remove(productId: string, access: CartAccess): Promise<CartWrite> {
    return this.write(access, () => {
      if (this.quantityOf(productId) === null) return "line_not_found";
      this.sql.exec("DELETE FROM lines WHERE product_id = ?", productId);
      return null;
    });
  }

  async clear(access: CartAccess): Promise<CartWrite> {
    return this.write(access, () => {
      this.sql.exec("DELETE FROM lines");
      return null;
    });
  }

  /**
   * Merges a guest cart's lines into this (a user's) cart exactly once per guest cart id:
   * quantities are summed and capped at 99, lines beyond the 50-line limit are dropped.
   * The record of merged ids is what makes a replay change nothing.
   */
  async absorb(guestCartId: string, lines: CartItem[]): Promise<{ merged: boolean }> {
    // Only a user's cart absorbs: a guest cart (it has a secret) never takes another's lines.
    if (!this.isUserCart() || !this.admits({ kind: "user", userId: this.userId() }, null)) return { merged: false };
    await this.ensureMigrated();
    return this.ctx.storage.transactionSync(() => {
      const seen = this.sql.exec("SELECT 1 FROM merged_carts WHERE cart_id = ?", guestCartId).toArray().length > 0;
      if (seen) return { merged: false };
      this.sql.exec("INSERT INTO merged_carts (cart_id, merged_at) VALUES (?, ?)", guestCartId, Date.now());
      for (const line of lines) {
        const existing = this.quantityOf(line.productId);
        if (existing !== null) {
          const quantity = Math.min(MAX_QUANTITY, existing + line.quantity);
          this.sql.exec("UPDATE lines SET quantity = ? WHERE product_id = ?", quantity, line.productId);
          continue;
        }
        const count = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM lines").one().n;
        if (count >= MAX_CART_LINES) continue;
        this.sql.exec(
          "INSERT INTO lines (product_id, quantity, added_at) VALUES (?, ?, ?)",
          line.productId,
          Math.min(MAX_QUANTITY, line.quantity),
          Date.now(),
        );
      }
      return { merged: true };
    });
  }

  /** Seals a guest cart after its lines moved into `userId`'s cart; it refuses further writes. Needs its secret. */
  async sealMerged(userId: string, access: CartAccess): Promise<{ sealed: boolean }> {
    const presented = await presentedHash(access);
    return this.ctx.storage.transactionSync(() => {
      if (access.kind !== "guest" || access.create || !this.admits(access, presented)) return { sealed: false };
      this.sql.exec("DELETE FROM lines");
      this.sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('merged_into', ?)", userId);
      return { sealed: true };
    });
  }

  /** Takes the units an accepted order bought out of the (user's) cart, once per order. */
  async removeOrdered(orderId: string, lines: CartItem[]): Promise<{ applied: boolean }> {
    if (!this.isUserCart() || !this.admits({ kind: "user", userId: this.userId() }, null)) return { applied: false };
    // The order id is recorded even on a cart with no storage yet: a retry must never take
    // units the shopper added after the order.
    await this.ensureMigrated();
    return this.ctx.storage.transactionSync(() => {
      const seen = this.sql.exec("SELECT 1 FROM applied_orders WHERE order_id = ?", orderId).toArray().length > 0;
      if (seen) return { applied: false };
      this.sql.exec("INSERT INTO applied_orders (order_id, applied_at) VALUES (?, ?)", orderId, Date.now());
      for (const line of lines) {
        this.sql.exec(
          "UPDATE lines SET quantity = quantity - ? WHERE product_id = ? AND quantity > ?",
          line.quantity,
          line.productId,
          line.quantity,
        );
        this.sql.exec("DELETE FROM lines WHERE product_id = ? AND quantity <= ?", line.productId, line.quantity);
      }
      return { applied: true };
    });
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.migrated = false;
  }

  /**
   * Whether `access` may see this cart. A user's cart has no secret; a guest cart has one and
   * admits only its hash's preimage (compared in constant time). A guest cart from before
   * secrets existed has none and admits no guest (its id was guessable).
   */
  private admits(access: CartAccess, presented: string | null): boolean {
    // Defence in depth (ADR 0012): a user's cart admits only that user, whoever chose the stub.
    if (access.kind === "user" && this.ctx.id.name !== `user:${access.userId}`) return false;
    if (!this.hasSchema()) return access.kind === "user";
    const stored = this.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'secret_hash'")
      .toArray()[0]?.value;
    if (access.kind === "user") return stored === undefined;
    if (stored === undefined || presented === null) return false;
    const a = new TextEncoder().encode(stored);
    const b = new TextEncoder().encode(presented);
    return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
  }

  /** This object's name (`user:<id>` or `guest:<crt_id>`, set by `idFromName`) says whose cart it is. */
  private isUserCart(): boolean {
    return this.ctx.id.name?.startsWith("user:") === true;
  }

  private userId(): string {
    return (this.ctx.id.name ?? "").slice("user:".length);
  }

  private state(): CartState {
    if (!this.hasSchema()) return NO_CART;
    const lines = this.sql
      .exec<{ product_id: string; quantity: number }>(
        "SELECT product_id, quantity FROM lines ORDER BY added_at, product_id",
      )
      .toArray()
      .map((r) => ({ productId: r.product_id, quantity: r.quantity }));
    const merged = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'merged_into'").toArray()[0];
    return { exists: true, lines, mergedInto: merged?.value ?? null };
  }

  private hasSchema(): boolean {
    return this.migrated || hasStorage(this.ctx.storage, CART_SCHEMA);
  }

  /** Creates or migrates this cart's tables (only ever for a write that is let in). */
  private async ensureMigrated(): Promise<void> {
    if (this.migrated) return;
    await migrateObject(this.ctx.storage, CART_SCHEMA);
    this.migrated = true;
  }

  private quantityOf(productId: string): number | null {
    const row = this.sql
      .exec<{ quantity: number }>("SELECT quantity FROM lines WHERE product_id = ?", productId)
      .toArray()[0];
    return row?.quantity ?? null;
  }

  private async write(access: CartAccess, change: () => CartWriteFailure | null): Promise<CartWrite> {
    const presented = await presentedHash(access);
    // A new guest cart: only on a name nobody has used, and only if the write succeeds.
    const creating = access.kind === "guest" && access.create === true;
    const letIn = creating ? !this.hasSchema() && presented !== null : this.admits(access, presented);
    if (!letIn) return { ok: false, code: "missing", state: NO_CART };
    await this.ensureMigrated();
    let outcome: CartWriteFailure | null;
    try {
      outcome = this.ctx.storage.transactionSync((): CartWriteFailure | null => {
        if (creating) {
          this.sql.exec("INSERT INTO meta (key, value) VALUES ('secret_hash', ?)", presented);
          const refused = change();
          if (refused) throw new Refused(refused);
          return null;
        }
        if (!this.admits(access, presented)) return "missing";
        return this.state().mergedInto ? "merged" : change();
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      // A refused first write leaves no cart behind: the tables it made go too.
      await this.ctx.storage.deleteAll();
      this.migrated = false;
      outcome = err.code;
    }
    if (outcome === "missing") return { ok: false, code: outcome, state: NO_CART };
    if (access.kind === "guest" && outcome === null) await this.ctx.storage.setAlarm(Date.now() + GUEST_CART_TTL_MS);
    const state = this.state();
    return outcome === null ? { ok: true, state } : { ok: false, code: outcome, state };
  }
}

async function presentedHash(access: CartAccess): Promise<string | null> {
  return access.kind === "guest" ? sha256Hex(access.secret) : null;
}
