import type { QuotedLine } from "@shop/contracts";
import { eq, sql } from "drizzle-orm";
import { inJson } from "../../db/client";
import { inventory, productImages, products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { imageUrl } from "../images/rows";

/** The read behind a quote, as one statement (also the last statement of a reserve batch). */
export function quoteQuery(ctx: Pick<ProductsContext, "db">, productIds: readonly string[]) {
  return ctx.db
    .select({
      id: products.id,
      sku: products.sku,
      name: products.name,
      priceAmount: products.priceAmount,
      currency: products.currency,
      status: products.status,
      imageUrls: products.imageUrls,
      /** The first uploaded image's key, which wins over a linked URL (ADR 0025). */
      firstImageKey: sql<
        string | null
      >`(SELECT ${productImages.r2Key} FROM ${productImages} WHERE ${productImages.productId} = ${products.id} ORDER BY ${productImages.position} LIMIT 1)`,
      available: sql<number | null>`${inventory.onHand} - ${inventory.reserved}`,
    })
    .from(products)
    .leftJoin(inventory, eq(inventory.productId, products.id))
    .where(inJson(products.id, [...new Set(productIds)]));
}

type QuoteRow = Awaited<ReturnType<typeof quoteQuery>>[number];

/** Current price and availability per requested line, in the caller's order. One read. */
export async function quoteLines(
  ctx: ProductsContext,
  input: { lines: readonly { productId: string }[] },
): Promise<QuotedLine[]> {
  const rows = await quoteQuery(
    ctx,
    input.lines.map((l) => l.productId),
  );
  return quotedLines(rows, input.lines);
}

/** The quote of each line from the rows `quoteQuery` read. */
export function quotedLines(rows: readonly QuoteRow[], lines: readonly { productId: string }[]): QuotedLine[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return lines.map(({ productId }) => {
    const row = byId.get(productId);
    if (!row) {
      return {
        productId,
        found: false,
        active: false,
        sku: null,
        name: null,
        unitPrice: null,
        available: 0,
        imageUrl: null,
      };
    }
    const active = row.status === "active";
    return {
      productId,
      found: true,
      active,
      sku: row.sku,
      name: row.name,
      unitPrice: { amount: row.priceAmount, currency: row.currency },
      available: active ? Math.max(0, row.available ?? 0) : 0,
      imageUrl: row.firstImageKey ? imageUrl(row.firstImageKey) : ((JSON.parse(row.imageUrls) as string[])[0] ?? null),
    };
  });
}
