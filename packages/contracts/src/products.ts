import { z } from "zod";
import type { CallMeta } from "./auth";
import { CategoryId, ProductId } from "./ids";
import { Currency, type Money } from "./money";

/** Quantities a shopper may order of one product in one line. */
export const Quantity = z.int().min(1).max(99);

export const StockLine = z.object({ productId: ProductId, quantity: Quantity }).strict();
export type StockLine = z.infer<typeof StockLine>;

export type QuotedLine = {
  productId: string;
  found: boolean;
  /** false for archived products: they cannot be bought. */
  active: boolean;
  sku: string | null;
  name: string | null;
  unitPrice: Money | null;
  /** on_hand − reserved right now. */
  available: number;
  imageUrl: string | null;
};

export type ShortLine = {
  productId: string;
  requested: number;
  available: number;
  reason: "insufficient_stock" | "not_found" | "inactive";
};

export type ReserveResult =
  | {
      ok: true;
      orderId: string;
      expiresAt: string;
      lines: { productId: string; quantity: number }[];
      replayed: boolean;
      /**
       * The price of each held line, read in the hold's own transaction, so the caller needs no
       * `quote` first. Absent from a replayed hold (and from releases before it): quote then.
       */
      quotes?: QuotedLine[];
    }
  | { ok: false; code: "insufficient_stock"; lines: ShortLine[] };

export type ReservationState = "active" | "committed" | "released" | "expired" | "restocked";

/**
 * commit: active → committed (on_hand and reserved drop). Already committed → ok (idempotent).
 * Released or expired → { ok: false, state }: the stock went back, the caller must refund.
 */
export type CommitResult = { ok: true; state: "committed" } | { ok: false; state: "released" | "expired" | "missing" };
/** release: active → released. Already released/expired/missing → ok. Committed → { ok: false, state: "committed" }. */
export type ReleaseResult = { ok: true; state: "released" | "expired" | "missing" } | { ok: false; state: "committed" };
/**
 * restock: committed → restocked (the sold units go back to `on_hand`). Already restocked → ok
 * (idempotent, nothing changes). Unknown order → `missing`; a hold that never became a sale
 * (active, released, expired) → `not_committed`: there is nothing to put back.
 */
export type RestockResult = { ok: true; state: "restocked" } | { ok: false; state: "missing" | "not_committed" };

/** RPC surface of the `products` worker (entrypoint `ProductsRpc`). Every call is safe to repeat. */
export interface ProductsRpc {
  quote(lines: { productId: string; quantity: number }[], meta?: CallMeta): Promise<QuotedLine[]>;
  /** All lines or none, atomically; idempotent by orderId. */
  reserve(orderId: string, lines: StockLine[], ttlSeconds: number, meta?: CallMeta): Promise<ReserveResult>;
  commit(orderId: string, meta?: CallMeta): Promise<CommitResult>;
  release(orderId: string, meta?: CallMeta): Promise<ReleaseResult>;
  /** Returns a cancelled sale's units to stock; idempotent by orderId. */
  restock(orderId: string, meta?: CallMeta): Promise<RestockResult>;
}

export const PriceInput = z.object({ amount: z.int().min(0).max(100_000_000), currency: Currency }).strict();

// ---- Public HTTP routes --------------------------------------------------------------

export const CategorySlug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lowercase slug")
  .max(64);

export const Category = z
  .object({ id: CategoryId, slug: CategorySlug, name: z.string() })
  .meta({ id: "Category", example: { id: "cat_01jd8x3v4k2m9q7r5t6w8y0zab", slug: "kitchen", name: "Kitchen" } });
export type Category = z.infer<typeof Category>;

export const CategoryList = z.object({ items: z.array(Category) }).meta({ id: "CategoryList" });
export type CategoryList = z.infer<typeof CategoryList>;

export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, "must be 2..64 letters, digits, '.', '_' or '-'")
  .meta({ example: "MUG-BLU-350" });

/** Free-form, flat product attributes (colour, size, material…). */
export const Attributes = z
  .record(z.string().min(1).max(50), z.union([z.string().max(200), z.number(), z.boolean()]))
  .refine((a) => Object.keys(a).length <= 30, "at most 30 attributes")
  .meta({ example: { colour: "blue", capacityMl: 350 } });

export const ImageUrls = z.array(z.url({ protocol: /^https?$/ }).max(500)).max(10);

export const ProductSummary = z
  .object({
    id: ProductId,
    sku: Sku,
    name: z.string(),
    description: z.string(),
    categoryId: CategoryId,
    price: z.object({ amount: z.int(), currency: Currency }),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    imageUrls: z.array(z.string()),
    /** true when at least one unit can be bought right now. */
    available: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "ProductSummary" });
export type ProductSummary = z.infer<typeof ProductSummary>;

export const ProductDetail = ProductSummary.extend({
  category: Category,
  /** on_hand − reserved right now. */
  availableQuantity: z.int(),
  /** Send as `If-Match: "<version>"` with an admin PATCH. */
  version: z.int(),
  updatedAt: z.iso.datetime(),
}).meta({ id: "ProductDetail" });
export type ProductDetail = z.infer<typeof ProductDetail>;

export const ProductPage = z
  .object({ items: z.array(ProductSummary), nextCursor: z.string().nullable() })
  .meta({ id: "ProductPage" });
export type ProductPage = z.infer<typeof ProductPage>;

export const ProductSort = z.enum(["relevance", "price_asc", "price_desc", "newest", "name"]);
export type ProductSort = z.infer<typeof ProductSort>;

export const ListProductsQuery = z
  .object({
    /** Full-text search over name and description (words, prefix-matched). */
    q: z.string().trim().min(1).max(200).optional(),
    /** Category slug or id. */
    category: z.union([CategoryId, CategorySlug]).optional(),
    /** Inclusive bounds in minor units. */
    minPrice: z.coerce.number().int().min(0).max(100_000_000_000).optional(),
    maxPrice: z.coerce.number().int().min(0).max(100_000_000_000).optional(),
    currency: Currency.optional(),
    /** Default: relevance with `q`, newest without. */
    sort: ProductSort.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(600).optional(),
  })
  .strict()
  .refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
    path: ["minPrice"],
    message: "must not exceed maxPrice",
  })
  .refine((v) => v.sort !== "relevance" || v.q !== undefined, {
    path: ["sort"],
    message: "relevance needs a search query q",
  });
export type ListProductsQuery = z.infer<typeof ListProductsQuery>;

export const ProductIdParams = z.object({ id: ProductId });

// ---- Admin HTTP routes ---------------------------------------------------------------

const ProductName = z.string().trim().min(1).max(200);
const ProductDescription = z.string().max(5000);

/** Strict: `id`, `version`, `status`, `reserved`… are not fields a client may set. */
export const CreateProductBody = z
  .object({
    sku: Sku,
    name: ProductName,
    description: ProductDescription.default(""),
    categoryId: CategoryId,
    price: PriceInput,
    attributes: Attributes.default({}),
    imageUrls: ImageUrls.default([]),
    /** Units on hand at creation. */
    initialStock: z.int().min(0).max(1_000_000).default(0),
  })
  .strict()
  .meta({ id: "CreateProductBody" });
export type CreateProductBody = z.infer<typeof CreateProductBody>;

export const UpdateProductBody = z
  .object({
    sku: Sku,
    name: ProductName,
    description: ProductDescription,
    categoryId: CategoryId,
    price: PriceInput,
    attributes: Attributes,
    imageUrls: ImageUrls,
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send at least one field")
  .meta({ id: "UpdateProductBody" });
export type UpdateProductBody = z.infer<typeof UpdateProductBody>;

export const SetInventoryBody = z
  .object({ onHand: z.int().min(0).max(1_000_000) })
  .strict()
  .meta({ id: "SetInventoryBody" });

export const Inventory = z
  .object({ productId: ProductId, onHand: z.int(), reserved: z.int(), available: z.int() })
  .meta({ id: "Inventory" });
export type Inventory = z.infer<typeof Inventory>;

/** What admins get back from writes: the product with its stock and lifecycle fields. */
export const AdminProduct = ProductDetail.extend({
  status: z.enum(["active", "archived"]),
  onHand: z.int(),
  reserved: z.int(),
}).meta({ id: "AdminProduct" });
export type AdminProduct = z.infer<typeof AdminProduct>;
