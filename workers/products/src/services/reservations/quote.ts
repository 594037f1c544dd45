import type { Currency, QuotedLine } from "@shop/contracts";

type Row = {
  id: string;
  sku: string;
  name: string;
  price_amount: number;
  currency: Currency;
  status: string;
  image_urls: string;
  available: number | null;
};

/** Current price and availability per requested line, in the caller's order. One read. */
export async function quoteLines(db: D1Database, lines: readonly { productId: string }[]): Promise<QuotedLine[]> {
  const ids = [...new Set(lines.map((l) => l.productId))];
  const { results } = await db
    .prepare(
      `SELECT p.id, p.sku, p.name, p.price_amount, p.currency, p.status, p.image_urls,
              i.on_hand - i.reserved AS available
       FROM products p LEFT JOIN inventory i ON i.product_id = p.id
       WHERE p.id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(ids))
    .all<Row>();
  const byId = new Map(results.map((r) => [r.id, r]));
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
      unitPrice: { amount: row.price_amount, currency: row.currency },
      available: active ? Math.max(0, row.available ?? 0) : 0,
      imageUrl: (JSON.parse(row.image_urls) as string[])[0] ?? null,
    };
  });
}
