import type { AdminVariantList, ProductOption, SetOptionsBody, VariantOptions } from "@shop/contracts";
import { Conflict } from "@shop/runtime";
import { and, eq, sql } from "drizzle-orm";
import { products, productVariants } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { listVariants } from "./list-variants";
import { productForVariants } from "./product-options";
import { optionKey } from "./rows";

const sameNames = (a: readonly ProductOption[], b: readonly ProductOption[]) =>
  a.length === b.length && a.every((o) => b.some((x) => x.name === o.name));

/**
 * Replaces a product's options (ADR 0029). Values may be added, reordered, or removed when no
 * variant has them; the option names are fixed once variants carry them. A simple product gaining
 * options gives its one (default) variant the first value of each. One batch, guarded by the
 * product version read, so a concurrent options write is refused rather than lost.
 */
export async function setOptions(
  ctx: ProductsContext,
  input: { productId: string; body: SetOptionsBody },
): Promise<{ variants: AdminVariantList; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const { productId } = input;
  const next = input.body.options;
  const now = ctx.meta.now;
  const product = await productForVariants(db, productId);
  const variants = await db
    .select({ id: productVariants.id, options: productVariants.options })
    .from(productVariants)
    .where(eq(productVariants.productId, productId));
  const simple = product.options.length === 0;
  if (!simple && !sameNames(product.options, next)) {
    throw new Conflict("conflict", "Option names are fixed once variants carry them; add or remove values instead.", [
      { path: "options", message: `must name ${product.options.map((o) => o.name).join(", ")}` },
    ]);
  }
  const moves = variants.map((v) => {
    const had = JSON.parse(v.options) as VariantOptions;
    // A simple product's one variant takes the first value of each new option.
    const values: VariantOptions = simple ? Object.fromEntries(next.map((o) => [o.name, o.values[0] as string])) : had;
    return { id: v.id, values, key: optionKey(next, values) };
  });
  const orphaned = moves.filter((m) => next.some((o) => !o.values.includes(m.values[o.name] as string)));
  if (orphaned.length > 0) {
    throw new Conflict("conflict", "A variant has a value this leaves out; archive it or keep the value.", [
      { path: "options", message: `variant ${orphaned[0]?.id} has ${JSON.stringify(orphaned[0]?.values)}` },
    ]);
  }
  const writes = [
    db
      .update(products)
      .set({ options: JSON.stringify(next), version: sql`${products.version} + 1`, updatedAt: now })
      .where(and(eq(products.id, productId), eq(products.version, product.version))),
    // Rewritten only if the product write above matched (the version it set, at this time).
    ...moves.map((m) =>
      db
        .update(productVariants)
        .set({
          options: JSON.stringify(Object.fromEntries(next.map((o) => [o.name, m.values[o.name]]))),
          optionKey: m.key,
          updatedAt: now,
        })
        .where(
          and(
            eq(productVariants.id, m.id),
            sql`EXISTS (SELECT 1 FROM ${products} WHERE ${products.id} = ${productId} AND ${products.version} = ${product.version + 1} AND ${products.updatedAt} = ${now})`,
          ),
        ),
    ),
  ];
  const results = await db.batch([...writes, bumpCatalogVersion(db)] as unknown as [
    (typeof writes)[number],
    ...(typeof writes)[number][],
  ]);
  if ((results[0] as D1Result).meta.changes === 0) {
    throw new Conflict("conflict", "The product changed while its options were being set; read it and try again.");
  }
  const catalogVersion = bumpedVersion(results.at(-1) as unknown as { version: number; stamp: string }[], now);
  return { variants: await listVariants(ctx, { productId }), catalogVersion };
}
