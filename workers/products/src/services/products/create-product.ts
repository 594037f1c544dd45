import { type AdminProduct, type CreateProductBody, defaultVariantId } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { inventory, products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { adminWriteError } from "./admin-errors";
import { adminProductQuery } from "./admin-read";
import { toAdmin } from "./rows";

/**
 * Product, its default variant's inventory row and the catalog version bump: one batch, all or
 * nothing (a trigger creates the default variant with the product, ADR 0029). The new catalog
 * version comes back for the admin's read-your-writes (ADR 0022).
 */
export async function createProduct(
  ctx: ProductsContext,
  body: CreateProductBody,
): Promise<{ product: AdminProduct; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const now = ctx.meta.now;
  const id = newId("product");
  try {
    const [, , bumped, rows] = await db.batch([
      db.insert(products).values({
        id,
        sku: body.sku,
        name: body.name,
        description: body.description,
        categoryId: body.categoryId,
        priceAmount: body.price.amount,
        currency: body.price.currency,
        attributes: JSON.stringify(body.attributes),
        imageUrls: JSON.stringify(body.imageUrls),
        taxClass: body.taxClass,
        status: "active",
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(inventory).values({
        variantId: defaultVariantId(id),
        productId: id,
        onHand: body.initialStock,
        reserved: 0,
        updatedAt: now,
      }),
      bumpCatalogVersion(db),
      adminProductQuery(db, id),
    ]);
    const row = rows[0];
    if (!row) throw new Error(`product ${id} was not read back after its insert`);
    return { product: toAdmin(row), catalogVersion: bumpedVersion(bumped, now) };
  } catch (err) {
    throw adminWriteError(err) ?? err;
  }
}
