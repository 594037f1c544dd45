import { type Currency, defaultVariantId, type ProductOption, type QuotedLine, type TaxClass } from "@shop/contracts";
import { eq, sql } from "drizzle-orm";
import { inJson } from "../../db/client";
import { inventory, productImages, products, productVariants } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { imageUrl } from "../images/rows";
import { productCurrency, variantPrice } from "../markets/pricing";

/** A stock line names a variant, or a product alone: its default variant (ADR 0029). */
export type LineRef = { productId?: string; variantId?: string };

export const variantOf = (line: LineRef): string => line.variantId ?? defaultVariantId(line.productId ?? "");

/**
 * The read behind a quote, as one statement (also the last statement of a reserve batch). Every
 * column has its own name: in a batch, drizzle's D1 driver keys rows by column name.
 */
export function quoteQuery(ctx: Pick<ProductsContext, "db">, variantIds: readonly string[], market?: string) {
  return ctx.db
    .select({
      variantId: sql<string>`${productVariants.id}`.as("variant_id"),
      productId: sql<string>`${products.id}`.as("product_id"),
      sku: sql<string>`${productVariants.sku}`.as("variant_sku"),
      name: products.name,
      /** The variant's price in the market (ADR 0032): NULL when it is not sold there. */
      priceAmount: sql<number | null>`${variantPrice(market, "product_variants")}`.as("variant_price"),
      currency: sql<Currency>`${productCurrency(market)}`.as("quote_currency"),
      status: products.status,
      variantStatus: sql<"active" | "archived">`${productVariants.status}`.as("variant_status"),
      variantOptions: sql<string>`${productVariants.options}`.as("variant_options"),
      productOptions: sql<string>`${products.options}`.as("product_options"),
      imageUrls: products.imageUrls,
      /** The first uploaded image's key, which wins over a linked URL (ADR 0025). */
      firstImageKey: sql<
        string | null
      >`(SELECT ${productImages.r2Key} FROM ${productImages} WHERE ${productImages.productId} = ${products.id} ORDER BY ${productImages.position} LIMIT 1)`,
      available: sql<number | null>`${inventory.onHand} - ${inventory.reserved}`,
      /** The variant's weight, else its product's default variant's (ADR 0029); NULL: neither has one. */
      weightGrams: sql<
        number | null
      >`COALESCE(${productVariants.weightGrams}, (SELECT d.weight_grams FROM product_variants d WHERE d.id = 'var_' || substr(${products.id}, instr(${products.id}, '_') + 1)))`.as(
        "variant_weight",
      ),
      taxClass: sql<TaxClass>`${products.taxClass}`.as("product_tax_class"),
      categoryId: sql<string>`${products.categoryId}`.as("product_category_id"),
    })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .leftJoin(inventory, eq(inventory.variantId, productVariants.id))
    .where(inJson(productVariants.id, [...new Set(variantIds)]));
}

type QuoteRow = Awaited<ReturnType<typeof quoteQuery>>[number];

/** Current price (in the market, default: the default market) and availability per requested line, in the caller's order. One read. */
export async function quoteLines(
  ctx: ProductsContext,
  input: { lines: readonly LineRef[]; market?: string },
): Promise<QuotedLine[]> {
  const rows = await quoteQuery(ctx, input.lines.map(variantOf), input.market);
  return quotedLines(rows, input.lines);
}

/** A variant's option values for people, in the product's option order: "M / Blue" ("" without options). */
export function variantLabel(productOptions: string, variantOptions: string): string {
  const values = JSON.parse(variantOptions) as Record<string, string>;
  return (JSON.parse(productOptions) as ProductOption[])
    .map((o) => values[o.name])
    .filter((v) => v !== undefined)
    .join(" / ");
}

/** The quote of each line from the rows `quoteQuery` read. */
export function quotedLines(rows: readonly QuoteRow[], lines: readonly LineRef[]): QuotedLine[] {
  const byId = new Map(rows.map((r) => [r.variantId, r]));
  return lines.map((line) => {
    const variantId = variantOf(line);
    const found = byId.get(variantId);
    // A line naming both must name a variant of that product.
    const row = line.productId !== undefined && found?.productId !== line.productId ? undefined : found;
    if (!row) {
      return {
        productId: line.productId ?? "",
        variantId,
        variantLabel: "",
        found: false,
        active: false,
        sku: null,
        name: null,
        unitPrice: null,
        available: 0,
        imageUrl: null,
      };
    }
    // A variant without a price in the market is not sold there.
    const active = row.status === "active" && row.variantStatus === "active" && row.priceAmount !== null;
    return {
      productId: row.productId,
      variantId,
      variantLabel: variantLabel(row.productOptions, row.variantOptions),
      found: true,
      active,
      sku: row.sku,
      name: row.name,
      unitPrice: row.priceAmount === null ? null : { amount: row.priceAmount, currency: row.currency },
      available: active ? Math.max(0, row.available ?? 0) : 0,
      imageUrl: row.firstImageKey ? imageUrl(row.firstImageKey) : ((JSON.parse(row.imageUrls) as string[])[0] ?? null),
      ...(row.weightGrams === null ? {} : { weightGrams: row.weightGrams }),
      taxClass: row.taxClass,
      categoryId: row.categoryId,
    };
  });
}
