import { PRODUCT_COLUMNS, PRODUCT_JOINS } from "./rows";

/** The admin view of one product (any status): the last statement of admin write batches. */
export function adminProductSql(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare(`SELECT ${PRODUCT_COLUMNS} FROM products p ${PRODUCT_JOINS} WHERE p.id = ?1`).bind(id);
}
