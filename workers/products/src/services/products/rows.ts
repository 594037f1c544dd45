import type { AdminProduct, Currency, ProductDetail, ProductSummary } from "@shop/contracts";

/** Columns every product read selects (with `p` = products, `c` = categories, `i` = inventory). */
export const PRODUCT_COLUMNS = `p.id, p.sku, p.name, p.description, p.category_id, p.price_amount, p.currency,
  p.attributes, p.image_urls, p.status, p.version, p.created_at, p.updated_at,
  c.slug AS category_slug, c.name AS category_name,
  COALESCE(i.on_hand, 0) AS on_hand, COALESCE(i.reserved, 0) AS reserved`;

export const PRODUCT_JOINS = `JOIN categories c ON c.id = p.category_id
  LEFT JOIN inventory i ON i.product_id = p.id`;

export type ProductRow = {
  id: string;
  sku: string;
  name: string;
  description: string;
  category_id: string;
  price_amount: number;
  currency: Currency;
  attributes: string;
  image_urls: string;
  status: "active" | "archived";
  version: number;
  created_at: number;
  updated_at: number;
  category_slug: string;
  category_name: string;
  on_hand: number;
  reserved: number;
};

export function toSummary(r: ProductRow): ProductSummary {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    categoryId: r.category_id,
    price: { amount: r.price_amount, currency: r.currency },
    attributes: JSON.parse(r.attributes) as ProductSummary["attributes"],
    imageUrls: JSON.parse(r.image_urls) as string[],
    available: r.status === "active" && r.on_hand - r.reserved > 0,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export function toDetail(r: ProductRow): ProductDetail {
  return {
    ...toSummary(r),
    category: { id: r.category_id, slug: r.category_slug, name: r.category_name },
    availableQuantity: r.status === "active" ? Math.max(0, r.on_hand - r.reserved) : 0,
    version: r.version,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export function toAdmin(r: ProductRow): AdminProduct {
  return { ...toDetail(r), status: r.status, onHand: r.on_hand, reserved: r.reserved };
}
