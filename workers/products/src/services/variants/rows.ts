import type { AdminVariant, ProductOption, VariantOptions } from "@shop/contracts";
import { Invalid } from "@shop/runtime";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inventory, products, productVariants } from "../../db/schema";

/**
 * A variant with its product's currency and status and its stock. Every column has its own name:
 * in a batch, drizzle's D1 driver keys rows by column name.
 */
export function adminVariantsQuery(db: Db, productId: string, variantId?: string) {
  return db
    .select({
      id: productVariants.id,
      productId: productVariants.productId,
      sku: productVariants.sku,
      options: productVariants.options,
      priceAmount: productVariants.priceAmount,
      status: productVariants.status,
      weightGrams: productVariants.weightGrams,
      currency: products.currency,
      productStatus: sql<"active" | "archived">`${products.status}`.as("product_status"),
      onHand: sql<number>`COALESCE(${inventory.onHand}, 0)`.as("variant_on_hand"),
      reserved: sql<number>`COALESCE(${inventory.reserved}, 0)`.as("variant_reserved"),
    })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .leftJoin(inventory, eq(inventory.variantId, productVariants.id))
    .where(
      and(
        eq(productVariants.productId, productId),
        variantId === undefined ? undefined : eq(productVariants.id, variantId),
      ),
    )
    .orderBy(asc(productVariants.position), asc(productVariants.id));
}

export type AdminVariantRow = Awaited<ReturnType<typeof adminVariantsQuery>>[number];

export function toAdminVariant(r: AdminVariantRow): AdminVariant {
  const units = Math.max(0, r.onHand - r.reserved);
  const onSale = r.status === "active" && r.productStatus === "active";
  return {
    id: r.id,
    productId: r.productId,
    sku: r.sku,
    options: JSON.parse(r.options) as VariantOptions,
    price: { amount: r.priceAmount, currency: r.currency },
    available: onSale && units > 0,
    status: r.status,
    weightGrams: r.weightGrams,
    onHand: r.onHand,
    reserved: r.reserved,
    availableQuantity: onSale ? units : 0,
  };
}

/**
 * What makes a variant's combination unique within its product: its values in option order
 * ('' for a product without options, whose one variant is the default).
 */
export function optionKey(options: readonly ProductOption[], values: VariantOptions): string {
  return options.length === 0 ? "" : JSON.stringify(options.map((o) => values[o.name] ?? null));
}

/** The values in option order, checked: one known value of each of the product's options, nothing else. */
export function checkedValues(options: readonly ProductOption[], values: VariantOptions): VariantOptions {
  const errors = [];
  for (const o of options) {
    const v = values[o.name];
    if (v === undefined) errors.push({ path: `options.${o.name}`, message: "is required" });
    else if (!o.values.includes(v))
      errors.push({ path: `options.${o.name}`, message: `must be one of ${o.values.join(", ")}` });
  }
  for (const name of Object.keys(values)) {
    if (!options.some((o) => o.name === name))
      errors.push({ path: `options.${name}`, message: "is not an option of this product" });
  }
  if (errors.length > 0) throw new Invalid(errors, "body");
  return Object.fromEntries(options.map((o) => [o.name, values[o.name] as string]));
}
