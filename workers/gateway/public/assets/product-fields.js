// Reads the catalog's product fields in one place, so the views stay independent of
// small differences between the list and detail shapes.
import { h, money } from "./dom.js";

export const priceOf = (p) =>
  p?.price ?? (typeof p?.priceAmount === "number" ? { amount: p.priceAmount, currency: p.currency } : null);

/** Uploaded images in display order (`{ url, alt, width?, height? }`), or none. */
export const imagesOf = (p) =>
  Array.isArray(p?.images) ? p.images.filter((i) => typeof i?.url === "string" && isSafeSrc(i.url)) : [];

export const imageOf = (p) =>
  imagesOf(p)[0]?.url ?? (Array.isArray(p?.imageUrls) ? p.imageUrls[0] : null) ?? p?.imageUrl ?? null;

const isSafeSrc = (src) => typeof src === "string" && /^(https:|\/|data:image\/)/.test(src);

/** Units a shopper can still buy, or null when the catalog did not say. */
export function availableOf(p) {
  for (const n of [p?.availableQuantity, p?.available]) if (typeof n === "number") return n;
  return null;
}

/** Catalog lists say `available: true|false`; the product page gives `availableQuantity`. */
export function inStock(p) {
  if (typeof p?.available === "boolean") return p.available;
  const n = availableOf(p);
  return n === null ? true : n > 0;
}

/** Category name: the product page embeds it; lists carry only the id, looked up in `categories`. */
export function categoryOf(p, categories = []) {
  if (p?.category?.name) return p.category.name;
  return categories.find((c) => c.id === p?.categoryId)?.name ?? "";
}

export function stockLabel(p) {
  const n = availableOf(p);
  if (!inStock(p)) return h("span", { class: "stock stock-out" }, "Out of stock");
  if (n !== null && n <= 5) return h("span", { class: "stock stock-low" }, `Only ${n} left`);
  return h("span", { class: "stock stock-in" }, "In stock");
}

/** A product picture, or a neutral placeholder with the name (images may be offline). */
export function productImage(p, size = "card") {
  const src = imageOf(p);
  // An uploaded image brings its alt text and size; a linked URL is decorative (the name is beside it).
  const first = imagesOf(p)[0];
  const image = first?.url === src ? first : undefined;
  return isSafeSrc(src)
    ? h("img", {
        class: `product-img product-img-${size}`,
        src,
        alt: image?.alt ?? "",
        loading: "lazy",
        width: image?.width ?? 320,
        height: image?.height ?? 240,
      })
    : h(
        "div",
        { class: `product-img product-img-${size} placeholder`, "aria-hidden": "true" },
        (p?.name ?? "?").slice(0, 1),
      );
}

export const priceText = (p) => money(priceOf(p));
