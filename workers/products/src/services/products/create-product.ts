import type { AdminProduct, CreateProductBody } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { bumpCatalogVersion } from "../catalog/bump-version";
import { adminWriteError } from "./admin-errors";
import { adminProductSql } from "./admin-read";
import { type ProductRow, toAdmin } from "./rows";

/** Product, its inventory row and the catalog version bump: one batch, all or nothing. */
export async function createProduct(db: D1Database, body: CreateProductBody, now = Date.now()): Promise<AdminProduct> {
  const id = newId("product");
  try {
    const results = await db.batch([
      db
        .prepare(
          `INSERT INTO products (id, sku, name, description, category_id, price_amount, currency, attributes, image_urls,
             status, version, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'active', 1, ?10, ?10)`,
        )
        .bind(
          id,
          body.sku,
          body.name,
          body.description,
          body.categoryId,
          body.price.amount,
          body.price.currency,
          JSON.stringify(body.attributes),
          JSON.stringify(body.imageUrls),
          now,
        ),
      db
        .prepare("INSERT INTO inventory (product_id, on_hand, reserved, updated_at) VALUES (?1, ?2, 0, ?3)")
        .bind(id, body.initialStock, now),
      bumpCatalogVersion(db),
      adminProductSql(db, id),
    ]);
    return toAdmin(results.at(-1)?.results?.[0] as ProductRow);
  } catch (err) {
    throw adminWriteError(err) ?? err;
  }
}
