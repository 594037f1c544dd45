import { api } from "../api.js";
import { h, render } from "../dom.js";
import { availableOf, categoryOf, imagesOf, inStock, priceText, productImage, stockLabel } from "../product-fields.js";
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
      imagesOf(p).length ? gallery(p) : productImage(p, "large"),
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

/**
 * The product's images: one large picture and a row of thumbnails. The thumbnails are one tab
 * stop (roving tabindex); arrow keys move between them (wrapping), Home and End go to the ends,
 * and the large picture follows the selected thumbnail.
 */
export function gallery(p) {
  const images = imagesOf(p);
  const main = h("img", { class: "gallery-main product-img product-img-large", alt: "" });
  const counter = h("p", { class: "gallery-counter muted", "aria-live": "polite" });
  const thumbs = images.map((img, i) =>
    h(
      "button",
      {
        type: "button",
        class: "gallery-thumb",
        "aria-label": `Image ${i + 1} of ${images.length}${img.alt ? `: ${img.alt}` : ""}`,
        onclick: () => select(i),
      },
      h("img", { src: img.url, alt: "", width: 64, height: 64, loading: "lazy" }),
    ),
  );
  let current = 0;
  function select(i, focus = false) {
    current = (i + images.length) % images.length;
    const img = images[current];
    main.src = img.url;
    main.alt = img.alt ?? "";
    if (img.width && img.height) {
      main.width = img.width;
      main.height = img.height;
    }
    counter.textContent = `Image ${current + 1} of ${images.length}`;
    thumbs.forEach((t, j) => {
      t.setAttribute("aria-current", j === current ? "true" : "false");
      t.tabIndex = j === current ? 0 : -1;
    });
    if (focus) thumbs[current].focus();
  }
  const strip = h("div", { class: "gallery-thumbs", role: "group", "aria-label": "Choose an image" }, thumbs);
  const root = h(
    "div",
    { class: "gallery", role: "region", "aria-label": `Images of ${p.name}`, "aria-roledescription": "gallery" },
    main,
    images.length > 1 ? strip : null,
    images.length > 1 ? counter : null,
  );
  root.addEventListener("keydown", (e) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (step) select(current + step, true);
    else if (e.key === "Home") select(0, true);
    else if (e.key === "End") select(images.length - 1, true);
    else return;
    e.preventDefault();
  });
  // The large picture is focusable too, so the keys work before a thumbnail was reached.
  if (images.length > 1) main.tabIndex = 0;
  select(0);
  return root;
}
