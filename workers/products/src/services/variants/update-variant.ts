import type { AdminVariant, UpdateVariantBody } from "@shop/contracts";
import { Invalid, NotFound } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import { productVariants } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { variantWriteError } from "./create-variant";
import { productForVariants } from "./product-options";
import { adminVariantsQuery, toAdminVariant } from "./rows";

/**
 * Changes a variant's SKU, price, status or weight. Archiving takes it off sale (held stock can still be
 * committed or released); it is never deleted, so orders keep naming it.
 */
export async function updateVariant(
  ctx: ProductsContext,
  input: { productId: string; variantId: string; patch: UpdateVariantBody },
): Promise<{ variant: AdminVariant; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const { productId, variantId, patch } = input;
  const product = await productForVariants(db, productId);
  if (patch.price && patch.price.currency !== product.currency) {
    throw new Invalid(
      [{ path: "price.currency", message: `must be the product's currency, ${product.currency}` }],
      "body",
    );
  }
  const [, bumped, rows] = await db
    .batch([
      db
        .update(productVariants)
        .set({
          sku: patch.sku,
          priceAmount: patch.price?.amount,
          status: patch.status,
          weightGrams: patch.weightGrams,
          updatedAt: ctx.meta.now,
        })
        .where(and(eq(productVariants.id, variantId), eq(productVariants.productId, productId))),
      bumpCatalogVersion(db),
      adminVariantsQuery(db, productId, variantId),
    ])
    .catch((err: unknown) => {
      throw variantWriteError(err) ?? err;
    });
  const row = rows[0];
  if (!row) throw new NotFound("The variant");
  return { variant: toAdminVariant(row), catalogVersion: bumpedVersion(bumped, ctx.meta.now) };
}
