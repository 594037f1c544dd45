// Reads the catalog's product fields in one place, so the views stay independent of
// small differences between the list and detail shapes.
import { h, money } from "./dom.js";

export const priceOf = (p) =>
  p?.price ?? (typeof p?.priceAmount === "number" ? { amount: p.priceAmount, currency: p.currency } : null);

export const imageOf = (p) => (Array.isArray(p?.imageUrls) ? p.imageUrls[0] : null) ?? p?.imageUrl ?? null;

/** Units a shopper can still buy, or null when the catalog did not say. */
export function availableOf(p) {
  const n = p?.available ?? p?.availableQuantity ?? p?.inventory?.available ?? p?.stock?.available;
  return typeof n === "number" ? n : null;
}

export function inStock(p) {
  if (typeof p?.inStock === "boolean") return p.inStock;
  if (typeof p?.availability === "string") return p.availability !== "out_of_stock";
  const n = availableOf(p);
  return n === null ? true : n > 0;
}

export const categoryOf = (p) => p?.category?.name ?? p?.categoryName ?? p?.category ?? p?.categoryId ?? "";

export function stockLabel(p) {
  const n = availableOf(p);
  if (!inStock(p)) return h("span", { class: "stock stock-out" }, "Out of stock");
  if (n !== null && n <= 5) return h("span", { class: "stock stock-low" }, `Only ${n} left`);
  return h("span", { class: "stock stock-in" }, "In stock");
}

/** A product picture, or a neutral placeholder with the name (images may be offline). */
export function productImage(p, size = "card") {
  const src = imageOf(p);
  const safe = typeof src === "string" && /^(https:|\/|data:image\/)/.test(src);
  return safe
    ? h("img", { class: `product-img product-img-${size}`, src, alt: "", loading: "lazy", width: 320, height: 240 })
    : h(
        "div",
        { class: `product-img product-img-${size} placeholder`, "aria-hidden": "true" },
        (p?.name ?? "?").slice(0, 1),
      );
}

export const priceText = (p) => money(priceOf(p));
