import { z } from "zod";
import type { CallMeta } from "./auth";
import { CategoryId, ImageId, ProductId, VariantId } from "./ids";
import { MarketCode } from "./markets";
import { Currency, type Money } from "./money";

/** How a product is taxed (ADR 0028): the rate of this class in the shopper's jurisdiction. */
export const TaxClass = z.enum(["standard", "reduced", "zero"]);
export type TaxClass = z.infer<typeof TaxClass>;

/** Grams per unit, for weight-based shipping (ADR 0033). */
export const WeightGrams = z.int().min(0).max(1_000_000);

/** Quantities a shopper may order of one product in one line. */
export const Quantity = z.int().min(1).max(99);

/**
 * The default variant of a product (every product has one; a product without options has only
 * it): its id is the product's, under the variant prefix. A line naming a product alone means
 * this variant, so callers that predate variants keep working.
 */
export function defaultVariantId(productId: string): string {
  return `var_${productId.slice(productId.indexOf("_") + 1)}`;
}

/** A line of stock: the variant it holds, or a product alone (its default variant). */
export const StockLine = z
  .object({ productId: ProductId.optional(), variantId: VariantId.optional(), quantity: Quantity })
  .strict()
  .refine((l) => l.productId !== undefined || l.variantId !== undefined, "name a variantId or a productId");
export type StockLine = z.infer<typeof StockLine>;

/** The line a stock call resolved: the variant it means and the product that variant belongs to. */
export type VariantLine = { productId: string; variantId: string; quantity: number };

export type QuotedLine = {
  productId: string;
  /** The variant quoted (absent from releases before variants). */
  variantId?: string;
  /** The variant's option values for people, e.g. "M / Blue"; "" for a product without options. */
  variantLabel?: string;
  found: boolean;
  /** false for archived products: they cannot be bought. */
  active: boolean;
  sku: string | null;
  name: string | null;
  unitPrice: Money | null;
  /** on_hand − reserved right now. */
  available: number;
  imageUrl: string | null;
  /** Grams per unit (the variant's, else its product's default variant's); absent: none is set. */
  weightGrams?: number;
  /** The product's tax class (absent from releases before it: standard). */
  taxClass?: TaxClass;
  /** The product's category (absent from releases before it). */
  categoryId?: string;
};

export type ShortLine = {
  productId: string;
  variantId?: string;
  requested: number;
  available: number;
  reason: "insufficient_stock" | "not_found" | "inactive";
};

export type ReserveResult =
  | {
      ok: true;
      orderId: string;
      expiresAt: string;
      /** `variantId` is absent from releases before variants. */
      lines: { productId: string; variantId?: string; quantity: number }[];
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
  /** Each line names a variant, or a product alone (its default variant). */
  /** Prices are the market's (ADR 0032); without `market`, the default market's. */
  quote(
    lines: { productId?: string; variantId?: string; quantity: number }[],
    meta?: CallMeta,
    market?: string,
  ): Promise<QuotedLine[]>;
  /** All lines or none, atomically, per variant; idempotent by orderId. Quotes are in `market`'s prices. */
  reserve(
    orderId: string,
    lines: StockLine[],
    ttlSeconds: number,
    meta?: CallMeta,
    market?: string,
  ): Promise<ReserveResult>;
  commit(orderId: string, meta?: CallMeta): Promise<CommitResult>;
  release(orderId: string, meta?: CallMeta): Promise<ReleaseResult>;
  /** Returns a cancelled sale's units to stock; idempotent by orderId. */
  restock(orderId: string, meta?: CallMeta): Promise<RestockResult>;
  /** Puts returned units back on the shelf; idempotent by returnId (a repeat adds nothing). */
  restockReturn(returnId: string, lines: StockLine[], meta?: CallMeta): Promise<RestockReturnResult>;
}

export type RestockReturnResult = { ok: true; replayed: boolean };

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

/** Uploaded images (ADR 0025): at most this many per product, each at most MAX_IMAGE_BYTES. */
export const MAX_IMAGES_PER_PRODUCT = 10;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** The image types an upload may be, told apart by their magic bytes, with the URL's extension. */
export const IMAGE_TYPES = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" } as const;
export type ImageType = keyof typeof IMAGE_TYPES;

export const ImageAlt = z.string().trim().max(300);

/** An image as shoppers get it: its URL never changes meaning (content-addressed), in display order. */
export const ProductImage = z
  .object({
    url: z
      .string()
      .meta({ example: "/images/prd_01jd8x3v4k2m9q7r5t6w8y0zab/img_01jd8x3v4k2m9q7r5t6w8y0zac-3f2a9c1b7d4e6f80.png" }),
    alt: z.string(),
    width: z.int().optional(),
    height: z.int().optional(),
  })
  .meta({ id: "ProductImage" });
export type ProductImage = z.infer<typeof ProductImage>;

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
    /** Uploaded images in display order (empty: the storefront shows a plain tile). */
    images: z.array(ProductImage),
    /** true when at least one unit can be bought right now. */
    available: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "ProductSummary" });
export type ProductSummary = z.infer<typeof ProductSummary>;

/** An option (size, colour…) and its values in display order. */
export const OptionName = z.string().trim().min(1).max(40);
export const OptionValue = z.string().trim().min(1).max(40);
export const ProductOption = z
  .object({ name: OptionName, values: z.array(OptionValue).min(1).max(30) })
  .meta({ id: "ProductOption", example: { name: "size", values: ["S", "M", "L"] } });
export type ProductOption = z.infer<typeof ProductOption>;

/** A variant's value of each of its product's options (`{}` for a product without options). */
export const VariantOptions = z.record(OptionName, OptionValue).meta({ example: { size: "M", colour: "blue" } });
export type VariantOptions = z.infer<typeof VariantOptions>;

/** A variant as shoppers get it: one combination of option values that exists. */
export const ProductVariant = z
  .object({
    id: VariantId,
    sku: z.string(),
    options: VariantOptions,
    price: z.object({ amount: z.int(), currency: Currency }),
    /** true when at least one unit of this variant can be bought right now. */
    available: z.boolean(),
  })
  .meta({ id: "ProductVariant" });
export type ProductVariant = z.infer<typeof ProductVariant>;

export const ProductDetail = ProductSummary.extend({
  /** The product's options in display order (empty: a simple product). */
  options: z.array(ProductOption),
  /** The variants on sale, in display order; a simple product has one, with no option values. */
  variants: z.array(ProductVariant),
  category: Category,
  /** on_hand − reserved right now. */
  availableQuantity: z.int(),
  /** Send as `If-Match: "<version>"` with an admin PATCH. */
  version: z.int(),
  updatedAt: z.iso.datetime(),
}).meta({ id: "ProductDetail" });
export type ProductDetail = z.infer<typeof ProductDetail>;

/**
 * The price bands the catalog counts, in minor units: `from-to` is `from ≤ price < to`, and
 * `from-` has no upper end. A `price` filter may name any bands; facets count these.
 */
export const PRICE_BANDS = ["0-2000", "2000-5000", "5000-10000", "10000-20000", "20000-"] as const;

/**
 * Counts for the current query, per filter (ADR 0026). Each facet's counts apply every OTHER
 * filter of the query but not its own: ticking one more category widens the list by exactly
 * that category's count. Categories with no match are left out unless they are filtered on.
 */
export const CatalogFacets = z
  .object({
    category: z.array(z.object({ value: CategorySlug, label: z.string(), count: z.int() })),
    price: z.array(z.object({ band: z.string().meta({ example: "2000-5000" }), count: z.int() })),
    inStock: z.object({ true: z.int(), false: z.int() }),
    /**
     * Option values (size, colour…) of the products' variants on sale, per option name, in the
     * products' display order. A value counts the products with an active variant of that value
     * that also matches the other option filters (and, with `inStock`, is itself in stock or sold
     * out); values with no match are left out unless the query names them.
     */
    options: z.array(
      z.object({
        name: OptionName,
        values: z.array(z.object({ value: OptionValue, count: z.int() })),
      }),
    ),
  })
  .meta({ id: "CatalogFacets" });
export type CatalogFacets = z.infer<typeof CatalogFacets>;

export const ProductPage = z
  .object({ items: z.array(ProductSummary), nextCursor: z.string().nullable(), facets: CatalogFacets })
  .meta({ id: "ProductPage" });
export type ProductPage = z.infer<typeof ProductPage>;

/**
 * A comma-separated query value, checked item by item and deduplicated; a bad item fails the
 * whole field, named as it is (`category`, not `category.2`).
 */
function commaList<T extends z.ZodType>(item: T, what: string, max: number) {
  return z
    .string()
    .max(max * 70)
    .transform((raw, ctx) => {
      const parsed: z.output<T>[] = [];
      for (const part of new Set(raw.split(",").map((s) => s.trim()))) {
        const r = item.safeParse(part);
        if (!r.success) {
          ctx.issues.push({ code: "custom", message: `${JSON.stringify(part)} is not ${what}`, input: raw });
          return z.NEVER;
        }
        parsed.push(r.data);
      }
      if (parsed.length > max) {
        ctx.issues.push({ code: "custom", message: `at most ${max} values`, input: raw });
        return z.NEVER;
      }
      return parsed;
    });
}

/** `from-to` (from ≤ price < to) or `from-` (no upper end), in minor units. */
export const PriceBand = z
  .string()
  .regex(/^\d{1,12}-\d{0,12}$/)
  .transform((band) => {
    const [from = "", to = ""] = band.split("-");
    return { from: Number(from), to: to === "" ? null : Number(to) };
  })
  .refine((b) => b.to === null || b.from < b.to, "must end above where it starts");
export type PriceBand = z.infer<typeof PriceBand>;

/** One option value to filter on, `name:value` (the value may itself hold colons, not commas). */
export const OptionFilter = z
  .string()
  .regex(/^[^:]+:.+$/)
  .transform((text) => {
    const at = text.indexOf(":");
    return { name: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
  })
  .pipe(z.object({ name: OptionName, value: OptionValue }));
export type OptionFilter = z.infer<typeof OptionFilter>;

export const ProductSort = z.enum(["relevance", "price_asc", "price_desc", "newest", "name"]);
export type ProductSort = z.infer<typeof ProductSort>;

export const ListProductsQuery = z
  .object({
    /** Full-text search over name and description (words, prefix-matched). */
    q: z.string().trim().min(1).max(200).optional(),
    /** Category slugs or ids, comma-separated: products in any of them. */
    category: commaList(z.union([CategoryId, CategorySlug]), "a category slug or id", 20)
      .meta({
        example: "kitchen,home",
        description: "Category slugs or ids, comma-separated: products in any of them (a facet).",
      })
      .optional(),
    /** Price bands in minor units, comma-separated (`from-to`, `from-`): products in any of them. */
    price: commaList(PriceBand, "a price band like 2000-5000 or 20000-", 10)
      .meta({
        example: "0-2000,2000-5000",
        description:
          "Price bands in minor units, comma-separated: `from-to` is from ≤ price < to, `from-` has no upper end; products in any of them (a facet).",
      })
      .optional(),
    /** Option values, comma-separated `name:value`: values of one name OR-ed, names AND-ed. */
    option: commaList(OptionFilter, "an option value like size:M", 30)
      .meta({
        example: "size:M,size:L,colour:Navy",
        description:
          "Option values, comma-separated `name:value` (case as listed in `facets.options`): products with an active variant that has one of the named values of every named option — the same variant for all of them (a facet). With `inStock=true` that variant must be in stock (size M in stock, not just some size); with `inStock=false`, no matching variant is in stock.",
      })
      .optional(),
    /** true: only products a shopper can buy now; false: only sold-out ones. */
    inStock: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .meta({ description: "true: only products a shopper can buy now; false: only sold-out ones (a facet)." })
      .optional(),
    /** Inclusive bounds in minor units. */
    minPrice: z.coerce.number().int().min(0).max(100_000_000_000).optional(),
    maxPrice: z.coerce.number().int().min(0).max(100_000_000_000).optional(),
    currency: Currency.optional(),
    /** Prices in this market's currency (ADR 0032); the gateway sets it. Default: the default market. */
    market: MarketCode.optional(),
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
    taxClass: TaxClass.default("standard"),
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
    taxClass: TaxClass,
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

/** A product's stock is the sum over its variants on sale; a variant's, its own row (`variantId` set). */
export const Inventory = z
  .object({
    productId: ProductId,
    variantId: VariantId.optional(),
    onHand: z.int(),
    reserved: z.int(),
    available: z.int(),
  })
  .meta({ id: "Inventory" });
export type Inventory = z.infer<typeof Inventory>;

/** Admin: the stock of several products at once (a page of the admin listing). */
export const InventoryQuery = z
  .object({ ids: commaList(ProductId, "a product id", 100).meta({ example: "prd_01jd8x3v4k2m9q7r5t6w8y0zab" }) })
  .strict();

export const InventoryList = z.object({ items: z.array(Inventory) }).meta({ id: "InventoryList" });
export type InventoryList = z.infer<typeof InventoryList>;

/** What admins get back from writes: the product with its stock and lifecycle fields. */
export const AdminProduct = ProductDetail.extend({
  status: z.enum(["active", "archived"]),
  taxClass: TaxClass,
  onHand: z.int(),
  reserved: z.int(),
}).meta({ id: "AdminProduct" });
export type AdminProduct = z.infer<typeof AdminProduct>;

// ---- Admin option and variant routes (ADR 0029) -------------------------------------------

export const ProductVariantParams = z.object({ id: ProductId, variantId: VariantId });

const OptionList = z
  .array(ProductOption.strict())
  .max(3)
  .refine((o) => new Set(o.map((x) => x.name)).size === o.length, "names an option twice")
  .refine((o) => o.every((x) => new Set(x.values).size === x.values.length), "names a value twice");

/**
 * The product's options, replacing the ones it had. Values may be added, reordered or (when no
 * variant uses them) removed; option names are fixed once variants carry them. A product gaining
 * its first options gives its default variant the first value of each.
 */
export const SetOptionsBody = z.object({ options: OptionList }).strict().meta({ id: "SetOptionsBody" });
export type SetOptionsBody = z.infer<typeof SetOptionsBody>;

export const CreateVariantBody = z
  .object({
    sku: Sku,
    /** One value of each of the product's options. */
    options: VariantOptions,
    /** Default: the product's price. */
    price: PriceInput.optional(),
    /** Absent: the product's default variant's weight applies. */
    weightGrams: WeightGrams.optional(),
    initialStock: z.int().min(0).max(1_000_000).default(0),
  })
  .strict()
  .meta({ id: "CreateVariantBody" });
export type CreateVariantBody = z.infer<typeof CreateVariantBody>;

export const UpdateVariantBody = z
  .object({
    sku: Sku,
    price: PriceInput,
    status: z.enum(["active", "archived"]),
    /** null: no weight of its own (the product's default variant's applies). */
    weightGrams: WeightGrams.nullable(),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send at least one field")
  .meta({ id: "UpdateVariantBody" });
export type UpdateVariantBody = z.infer<typeof UpdateVariantBody>;

/** A variant as admins manage it: with its status and stock. */
export const AdminVariant = ProductVariant.extend({
  productId: ProductId,
  status: z.enum(["active", "archived"]),
  /** Its own weight; null: the product's default variant's applies. */
  weightGrams: z.int().nullable(),
  onHand: z.int(),
  reserved: z.int(),
  availableQuantity: z.int(),
}).meta({ id: "AdminVariant" });
export type AdminVariant = z.infer<typeof AdminVariant>;

export const AdminVariantList = z
  .object({ options: z.array(ProductOption), items: z.array(AdminVariant) })
  .meta({ id: "AdminVariantList" });
export type AdminVariantList = z.infer<typeof AdminVariantList>;

// ---- Admin image routes (ADR 0025) -----------------------------------------------------

export const ProductImageParams = z.object({ id: ProductId, imageId: ImageId });

/** An uploaded image as admins manage it. */
export const AdminProductImage = ProductImage.extend({
  id: ImageId,
  contentType: z.enum(["image/jpeg", "image/png", "image/webp"]),
  bytes: z.int(),
  position: z.int(),
}).meta({ id: "AdminProductImage" });
export type AdminProductImage = z.infer<typeof AdminProductImage>;

export const AdminProductImageList = z
  .object({ items: z.array(AdminProductImage) })
  .meta({ id: "AdminProductImageList" });
export type AdminProductImageList = z.infer<typeof AdminProductImageList>;

export const UploadImageQuery = z.object({ alt: ImageAlt.default("") }).strict();

/** The product's images in their new order, each with its alt text if it changes; every image once. */
export const ArrangeImagesBody = z
  .object({
    images: z
      .array(z.object({ id: ImageId, alt: ImageAlt.optional() }).strict())
      .min(1)
      .max(MAX_IMAGES_PER_PRODUCT)
      .refine((a) => new Set(a.map((i) => i.id)).size === a.length, "names an image twice"),
  })
  .strict()
  .meta({ id: "ArrangeImagesBody" });
export type ArrangeImagesBody = z.infer<typeof ArrangeImagesBody>;

/**
 * Catalog freshness (ADR 0022, 0024). An admin write answers this header and sets this cookie
 * with the new catalog version; a read carrying either reads its writes back (never cached).
 */
export const CATALOG_VERSION_HEADER = "x-catalog-version";
export const CATALOG_VERSION_COOKIE = "catalog_version";
/** Shoppers see a catalog write within this bound, in every isolate of every worker. */
export const CATALOG_FRESHNESS_MS = 5_000;
/** How long the gateway keeps a hot public catalog page in its isolate's memory (ADR 0024). */
export const EDGE_HOT_CATALOG_MS = 1_000;
