import type { AdminVariant, CreateVariantBody } from "@shop/contracts";
import { Conflict, Invalid, newId } from "@shop/runtime";
import { sql } from "drizzle-orm";
import { failureText } from "../../db/client";
import { inventory, productVariants } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { adminWriteError } from "../products/admin-errors";
import { productForVariants } from "./product-options";
import { adminVariantsQuery, checkedValues, optionKey, toAdminVariant } from "./rows";

/**
 * Adds a combination of the product's option values, with its SKU, price (the product's by
 * default) and stock row, last in display order: one batch. The database refuses a SKU in use and
 * a combination the product already has (unique indexes), whatever races this.
 */
export async function createVariant(
  ctx: ProductsContext,
  input: { productId: string; body: CreateVariantBody },
): Promise<{ variant: AdminVariant; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const { productId, body } = input;
  const now = ctx.meta.now;
  const product = await productForVariants(db, productId);
  if (product.options.length === 0) {
    throw new Conflict("conflict", "This product has no options yet: set them (PUT /products/{id}/options) first.", [
      { path: "options", message: "the product has no options" },
    ]);
  }
  const values = checkedValues(product.options, body.options);
  if (body.price && body.price.currency !== product.currency) {
    throw new Invalid(
      [{ path: "price.currency", message: `must be the product's currency, ${product.currency}` }],
      "body",
    );
  }
  const id = newId("variant");
  try {
    const [, , bumped, rows] = await db.batch([
      db.insert(productVariants).values({
        id,
        productId,
        sku: body.sku,
        options: JSON.stringify(values),
        optionKey: optionKey(product.options, values),
        priceAmount: body.price?.amount ?? product.priceAmount,
        weightGrams: body.weightGrams ?? null,
        status: "active",
        position: sql`(SELECT COALESCE(MAX(${productVariants.position}) + 1, 0) FROM ${productVariants} WHERE ${productVariants.productId} = ${productId})`,
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(inventory).values({ variantId: id, productId, onHand: body.initialStock, reserved: 0, updatedAt: now }),
      bumpCatalogVersion(db),
      adminVariantsQuery(db, productId, id),
    ]);
    const row = rows[0];
    if (!row) throw new Error(`variant ${id} was not read back after its insert`);
    return { variant: toAdminVariant(row), catalogVersion: bumpedVersion(bumped, now) };
  } catch (err) {
    throw variantWriteError(err) ?? err;
  }
}

/** Constraint failures of variant writes as the client's mistakes they stand for. */
export function variantWriteError(err: unknown): Conflict | Invalid | undefined {
  if (/UNIQUE constraint failed: product_variants\.product_id/.test(failureText(err))) {
    return new Conflict("conflict", "The product already has a variant with these option values.", [
      { path: "options", message: "this combination exists" },
    ]);
  }
  return adminWriteError(err);
}
