import { api } from "../api.js";
import { h, money, render } from "../dom.js";
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
  const options = Array.isArray(p.options) ? p.options.filter((o) => o?.name && Array.isArray(o.values)) : [];
  const variants = Array.isArray(p.variants) ? p.variants : [];
  const picking = options.length > 0 && variants.length > 0;
  const max = Math.max(1, Math.min(99, (picking ? null : availableOf(p)) ?? 99));
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
    const v = picker?.chosen();
    if (picker && !v?.available) return;
    addToCart(p, n, add, v ? { id: v.id, label: variantLabel(v, options) } : undefined);
  });

  const price = h("p", { class: "price price-large", id: "product-price" }, priceText(p));
  const sku = h("span", { id: "product-sku" }, p.sku ? ` · SKU ${p.sku}` : "");
  const stock = h("p", { id: "product-stock" }, stockLabel(p));
  const picker = picking
    ? variantPicker(options, variants, (v) => {
        // Price, SKU and availability are the chosen variant's.
        price.textContent = v ? money(v.price) : priceText(p);
        sku.textContent = v?.sku ? ` · SKU ${v.sku}` : "";
        stock.replaceChildren(
          v?.available
            ? h("span", { class: "stock stock-in" }, "In stock")
            : h("span", { class: "stock stock-out" }, v ? "Out of stock" : "Not available"),
        );
        add.disabled = !v?.available;
        form.dataset.variantId = v?.id ?? "";
      })
    : null;

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
        h("p", { class: "muted" }, categoryOf(p), sku),
        price,
        stock,
        h("p", { class: "description" }, p.description ?? ""),
        attrs.length
          ? h(
              "dl",
              { class: "attributes" },
              attrs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))]),
            )
          : null,
        picker?.element ?? null,
        form,
      ),
    ),
  );
  picker?.start();
}

/** "M / Navy": the variant's values in the product's option order. */
export const variantLabel = (v, options) =>
  options
    .map((o) => v.options?.[o.name])
    .filter(Boolean)
    .join(" / ");

const optionTitle = (name) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The option picker: one radio group per option (a fieldset with its legend, real radio
 * inputs, so arrow keys move within a group and Tab between groups). A value whose combination
 * with the other choices does not exist, or is sold out, is disabled and says so in its label
 * (read out with it). The chosen variant is announced politely and handed to `onChange`.
 */
function variantPicker(options, variants, onChange) {
  const find = (choice) => variants.find((v) => options.every((o) => v.options?.[o.name] === choice[o.name]));
  // Start on the first variant on sale, else the first one.
  const first = variants.find((v) => v.available) ?? variants[0];
  const choice = Object.fromEntries(options.map((o) => [o.name, first.options?.[o.name] ?? o.values[0]]));
  const status = h("p", { class: "visually-hidden", role: "status", id: "variant-status" });
  const groups = options.map((o, i) => {
    const radios = o.values.map((value, j) => {
      const id = `option-${i}-${j}`;
      const input = h("input", {
        type: "radio",
        id,
        name: `option-${o.name}`,
        value,
        onchange: () => {
          choice[o.name] = value;
          update(true);
        },
      });
      const note = h("span", { class: "option-note" });
      return {
        value,
        input,
        note,
        el: h("div", { class: "option-value" }, input, h("label", { for: id }, value, note)),
      };
    });
    return {
      option: o,
      radios,
      el: h(
        "fieldset",
        { class: "option-group" },
        h("legend", {}, optionTitle(o.name)),
        radios.map((r) => r.el),
      ),
    };
  });
  function update(announceIt) {
    for (const g of groups)
      for (const r of g.radios) {
        const v = find({ ...choice, [g.option.name]: r.value });
        const checked = choice[g.option.name] === r.value;
        r.input.checked = checked;
        // The chosen value stays enabled even when sold out, so the group keeps a tab stop.
        r.input.disabled = !checked && !v?.available;
        r.note.textContent = !v ? " (not available)" : v.available ? "" : " (sold out)";
        r.el.classList.toggle("option-unavailable", !v?.available);
      }
    const v = find(choice);
    if (announceIt)
      status.textContent = v
        ? `${variantLabel(v, options)}: ${money(v.price)}, ${v.available ? "in stock" : "sold out"}.`
        : `${Object.values(choice).join(" / ")} is not available.`;
    onChange(v);
  }
  return {
    element: h(
      "div",
      { class: "variant-picker" },
      groups.map((g) => g.el),
      status,
    ),
    chosen: () => find(choice),
    start: () => update(false),
  };
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
