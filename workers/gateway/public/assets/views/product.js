import { api } from "../api.js";
import { h, render } from "../dom.js";
import { availableOf, categoryOf, inStock, priceText, productImage, stockLabel } from "../product-fields.js";
import { setTitle } from "../shell.js";
import { addToCart } from "./catalog.js";

/** One product: description, attributes, stock and "add to cart" with a quantity. */
export async function productView(main, ctx) {
  const [id] = ctx.params;
  let p;
  try {
    p = await api("GET", `/products/${encodeURIComponent(id)}`, { signal: ctx.signal });
  } catch (err) {
    // A malformed id names no product either.
    if (err?.status !== 404 && err?.status !== 400) throw err;
    if (ctx.isCurrent()) setTitle("Product not found");
    render(
      main,
      h("h1", {}, "Product not found"),
      h("p", {}, "This product does not exist or is no longer sold."),
      h("p", {}, h("a", { href: "#/products" }, "Back to the catalog")),
    );
    return;
  }
  if (ctx.isCurrent()) setTitle(p.name);
  const max = Math.max(1, Math.min(99, availableOf(p) ?? 99));
  const qty = h("input", {
    id: "qty",
    name: "quantity",
    type: "number",
    min: 1,
    max,
    value: 1,
    inputmode: "numeric",
    required: true,
  });
  const add = h("button", { type: "submit", class: "btn", disabled: !inStock(p) }, "Add to cart");
  const form = h(
    "form",
    { class: "add-form" },
    h("div", { class: "field field-inline" }, h("label", { for: "qty" }, "Quantity"), qty),
    add,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const n = Number(qty.value);
    if (!Number.isInteger(n) || n < 1 || n > 99) {
      qty.setCustomValidity("Choose a quantity from 1 to 99.");
      qty.reportValidity();
      return;
    }
    qty.setCustomValidity("");
    addToCart(p, n, add);
  });

  const attrs = p.attributes && typeof p.attributes === "object" ? Object.entries(p.attributes) : [];
  render(
    main,
    h("p", { class: "crumbs" }, h("a", { href: "#/products" }, "← Back to the catalog")),
    h(
      "article",
      { class: "product-detail", "data-product-id": p.id },
      productImage(p, "large"),
      h(
        "div",
        { class: "product-info" },
        h("h1", {}, p.name),
        h("p", { class: "muted" }, categoryOf(p), p.sku ? ` · SKU ${p.sku}` : ""),
        h("p", { class: "price price-large" }, priceText(p)),
        h("p", {}, stockLabel(p)),
        h("p", { class: "description" }, p.description ?? ""),
        attrs.length
          ? h(
              "dl",
              { class: "attributes" },
              attrs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))]),
            )
          : null,
        form,
      ),
    ),
  );
}
