import type { ReserveResult, ShortLine, StockLine } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { and, asc, eq, sql } from "drizzle-orm";
import { failureText, inJson } from "../../db/client";
import { inventory, products, productVariants, reservations } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion, soldOut } from "../catalog/bump-version";
import { quotedLines, quoteQuery, variantOf } from "./quote";

/** How often a failed batch is retried when a re-read shows every line would fit now. */
const MAX_ATTEMPTS = 3;

/** A line resolved to its variant; `productId` is what the caller named, if anything. */
type Line = { variantId: string; productId?: string; quantity: number };

/** `market`: the quotes the hold returns are in its prices (ADR 0032); default: the default market. */
export type ReserveInput = { orderId: string; lines: readonly StockLine[]; ttlSeconds: number; market?: string };

/** One line per variant (a product alone is its default variant): a repeated variant's quantities add up. */
export function mergeLines(lines: readonly StockLine[]): Line[] {
  const byVariant = new Map<string, Line>();
  for (const l of lines) {
    const variantId = variantOf(l);
    const seen = byVariant.get(variantId);
    if (seen) seen.quantity += l.quantity;
    else byVariant.set(variantId, { variantId, productId: l.productId, quantity: l.quantity });
  }
  return [...byVariant.values()];
}

/**
 * The product a held variant belongs to, read in the insert itself: NULL for an unknown variant
 * (or one of another product than the line names), which the hold trigger refuses.
 */
export function productOfVariant(l: Line) {
  return sql<string>`(SELECT ${productVariants.productId} FROM ${productVariants} WHERE ${and(
    eq(productVariants.id, l.variantId),
    l.productId === undefined ? undefined : eq(productVariants.productId, l.productId),
  )})`;
}

/**
 * Holds stock for an order: every line or none, in one D1 batch (one transaction).
 * The database decides, never a read in this code: `reserved = reserved + q` violates
 * the inventory CHECK when stock is short, and triggers refuse unknown or archived
 * products and a second hold for the same order — any of them aborts the whole batch.
 * Only after a failure do we read, to tell the caller which lines were short.
 */
export async function reserveStock(ctx: ProductsContext, input: ReserveInput): Promise<ReserveResult> {
  const { db } = ctx;
  const { orderId } = input;
  const now = ctx.meta.now;
  const merged = mergeLines(input.lines);
  for (let attempt = 1; ; attempt++) {
    const holdId = newId("reservation");
    const expiresAt = now + input.ttlSeconds * 1000;
    const statements = merged.flatMap((l) => [
      db.insert(reservations).values({
        holdId,
        orderId,
        productId: productOfVariant(l),
        variantId: l.variantId,
        quantity: l.quantity,
        expiresAt,
        state: "active",
        createdAt: now,
        updatedAt: now,
      }),
      db
        .update(inventory)
        .set({ reserved: sql`${inventory.reserved} + ${l.quantity}`, updatedAt: now })
        .where(eq(inventory.variantId, l.variantId)),
    ]);
    try {
      // Never empty (lines are validated non-empty); the tuple type says so to drizzle. Cached
      // pages move only when a variant sells out (ADR 0022); quantities shown may lag.
      // The batch ends with the lines' prices, read in the hold's own transaction: the caller
      // snapshots them without a quote round trip of its own.
      const ids = merged.map((l) => l.variantId);
      const writes = [...statements, bumpCatalogVersion(db, soldOut(ids)), quoteQuery(ctx, ids, input.market)];
      const results = await db.batch(writes as [(typeof writes)[number], ...(typeof writes)[number][]]);
      bumpedVersion(results.at(-2) as { version: number; stamp: string }[], now);
      const quotes = quotedLines(results.at(-1) as Parameters<typeof quotedLines>[0], merged);
      return {
        ok: true,
        orderId,
        expiresAt: new Date(expiresAt).toISOString(),
        lines: merged.map((l, i) => ({
          productId: quotes[i]?.productId ?? l.productId ?? "",
          variantId: l.variantId,
          quantity: l.quantity,
        })),
        replayed: false,
        quotes,
      };
    } catch (err) {
      const message = failureText(err);
      if (/reservation_order_exists|UNIQUE constraint failed: reservations/.test(message)) {
        const replay = await replayReservation(ctx, orderId);
        if (replay) return replay;
      } else if (/CHECK constraint failed|reservation_product_unavailable/.test(message)) {
        const short = await shortLines(ctx, merged);
        if (short.length > 0) return { ok: false, code: "insufficient_stock", lines: short };
      } else {
        throw err;
      }
      if (attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** The first reserve call's outcome for this order, or null if it left no rows. */
async function replayReservation(ctx: ProductsContext, orderId: string): Promise<ReserveResult | null> {
  const rows = await ctx.db
    .select({
      productId: reservations.productId,
      variantId: reservations.variantId,
      quantity: reservations.quantity,
      expiresAt: reservations.expiresAt,
      state: reservations.state,
    })
    .from(reservations)
    .where(eq(reservations.orderId, orderId))
    .orderBy(asc(reservations.id));
  const first = rows[0];
  if (!first) return null;
  if (first.state === "released" || first.state === "expired") {
    // The stock went back; holding it again under the same order would resurrect a dead order.
    throw new Error(`order ${orderId} already had a reservation that was ${first.state}; reserve under a new order id`);
  }
  return {
    ok: true,
    orderId,
    expiresAt: new Date(first.expiresAt).toISOString(),
    lines: rows.map((r) => ({ productId: r.productId, variantId: r.variantId, quantity: r.quantity })),
    replayed: true,
  };
}

/** Lines that cannot be held right now, each with what is available. */
async function shortLines(ctx: ProductsContext, lines: Line[]): Promise<ShortLine[]> {
  const rows = await ctx.db
    .select({
      id: productVariants.id,
      productId: productVariants.productId,
      status: sql<string>`CASE WHEN ${products.status} = 'active' AND ${productVariants.status} = 'active' THEN 'active' ELSE 'archived' END`,
      available: sql<number | null>`${inventory.onHand} - ${inventory.reserved}`,
    })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .leftJoin(inventory, eq(inventory.variantId, productVariants.id))
    .where(
      inJson(
        productVariants.id,
        lines.map((l) => l.variantId),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const short: ShortLine[] = [];
  for (const l of lines) {
    const found = byId.get(l.variantId);
    const row = l.productId !== undefined && found?.productId !== l.productId ? undefined : found;
    const productId = row?.productId ?? l.productId ?? "";
    const named = { productId, variantId: l.variantId, requested: l.quantity };
    const available = Math.max(0, row?.available ?? 0);
    if (!row) short.push({ ...named, available: 0, reason: "not_found" });
    else if (row.status !== "active" || row.available === null)
      short.push({ ...named, available: 0, reason: "inactive" });
    else if (available < l.quantity) short.push({ ...named, available, reason: "insufficient_stock" });
  }
  return short;
}
