import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { products } from "../../db/schema";
import { selectProducts } from "./rows";

/** The admin view of one product (any status): the last statement of admin write batches. */
export function adminProductQuery(db: Db, id: string) {
  return selectProducts(db).where(eq(products.id, id));
}
