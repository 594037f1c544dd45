import { DurableObject } from "cloudflare:workers";
import { MAX_CART_LINES } from "@shop/contracts";
import type { OrdersBindings } from "../env";

export type CartItem = { productId: string; quantity: number };
export type CartState = { lines: CartItem[]; mergedInto: string | null };
export type CartWriteFailure = "too_many_lines" | "quantity_limit" | "line_not_found" | "merged";
export type CartWrite = { ok: true; state: CartState } | { ok: false; code: CartWriteFailure; state: CartState };

const MAX_QUANTITY = 99;
/** A guest cart nobody touched for this long is deleted. */
const GUEST_CART_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * One shopping cart. Every method runs in one synchronous SQLite transaction, so
 * concurrent requests on the same cart serialize and limits (≤ 50 lines, 1..99 each)
 * hold without read-then-write races. Prices are never stored: they are quoted on read.
 */
export class CartDO extends DurableObject<OrdersBindings> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: OrdersBindings) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS lines (product_id TEXT PRIMARY KEY, quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99), added_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS merged_carts (cart_id TEXT PRIMARY KEY, merged_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS applied_orders (order_id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);`);
  }

  read(): CartState {
    const lines = this.sql
      .exec<{ product_id: string; quantity: number }>(
        "SELECT product_id, quantity FROM lines ORDER BY added_at, product_id",
      )
      .toArray()
      .map((r) => ({ productId: r.product_id, quantity: r.quantity }));
    const merged = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'merged_into'").toArray()[0];
    return { lines, mergedInto: merged?.value ?? null };
  }

  /** Adds to a line (quantities sum) or starts one. Refuses beyond 99 units or 50 lines. */
  async add(item: CartItem, guest: boolean): Promise<CartWrite> {
    return this.write(guest, () => {
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

  async setQuantity(item: CartItem, guest: boolean): Promise<CartWrite> {
    return this.write(guest, () => {
      if (this.quantityOf(item.productId) === null) return "line_not_found";
      this.sql.exec("UPDATE lines SET quantity = ? WHERE product_id = ?", item.quantity, item.productId);
      return null;
    });
  }

  async remove(productId: string, guest: boolean): Promise<CartWrite> {
    return this.write(guest, () => {
      if (this.quantityOf(productId) === null) return "line_not_found";
      this.sql.exec("DELETE FROM lines WHERE product_id = ?", productId);
      return null;
    });
  }

  async clear(guest: boolean): Promise<CartWrite> {
    return this.write(guest, () => {
      this.sql.exec("DELETE FROM lines");
      return null;
    });
  }

  /**
   * Merges a guest cart's lines into this (a user's) cart exactly once per guest cart id:
   * quantities are summed and capped at 99, lines beyond the 50-line limit are dropped.
   * The record of merged ids is what makes a replay change nothing.
   */
  absorb(guestCartId: string, lines: CartItem[]): { merged: boolean } {
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

  /** Seals a guest cart after its lines moved into `userId`'s cart; it refuses further writes. */
  sealMerged(userId: string): void {
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM lines");
      this.sql.exec("INSERT OR IGNORE INTO meta (key, value) VALUES ('merged_into', ?)", userId);
    });
  }

  /** Takes the units an accepted order bought out of the cart, once per order. */
  removeOrdered(orderId: string, lines: CartItem[]): { applied: boolean } {
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
  }

  private quantityOf(productId: string): number | null {
    const row = this.sql
      .exec<{ quantity: number }>("SELECT quantity FROM lines WHERE product_id = ?", productId)
      .toArray()[0];
    return row?.quantity ?? null;
  }

  private async write(guest: boolean, change: () => CartWriteFailure | null): Promise<CartWrite> {
    const outcome = this.ctx.storage.transactionSync((): CartWriteFailure | null =>
      this.read().mergedInto ? "merged" : change(),
    );
    if (guest && outcome === null) await this.ctx.storage.setAlarm(Date.now() + GUEST_CART_TTL_MS);
    const state = this.read();
    return outcome === null ? { ok: true, state } : { ok: false, code: outcome, state };
  }
}
