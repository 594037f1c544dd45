import { api, itemsOf } from "../api.js";
import { announce, busy, h, render } from "../dom.js";
import { categoryOf, inStock, priceText, productImage, stockLabel } from "../product-fields.js";
import { refreshCartBadge, setTitle } from "../shell.js";

const SORTS = [
  ["relevance", "Relevance"],
  ["price_asc", "Price: low to high"],
  ["price_desc", "Price: high to low"],
  ["newest", "Newest"],
  ["name", "Name"],
];
const PAGE_SIZE = 12;

let categoriesCache = null;
async function categories() {
  categoriesCache ??= api("GET", "/categories")
    .then(itemsOf)
    .catch(() => {
      categoriesCache = null;
      return [];
    });
  return categoriesCache;
}

/** Catalog: search, category filter, sort, and "load more" cursor paging. */
export async function catalogView(main, ctx) {
  const q = ctx.query.get("q") ?? "";
  const category = ctx.query.get("category") ?? "";
  const sort = ctx.query.get("sort") ?? "";
  const cats = await categories();
  if (ctx.isCurrent()) setTitle(catalogTitle(q, category, cats));

  const form = h(
    "form",
    { class: "search", role: "search", "aria-label": "Search the catalog" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "q" }, "Search"),
      h("input", { id: "q", name: "q", type: "search", value: q, placeholder: "e.g. mug, headphones" }),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "category" }, "Category"),
      h(
        "select",
        { id: "category", name: "category" },
        h("option", { value: "" }, "All categories"),
        cats.map((c) =>
          h("option", { value: c.slug ?? c.id, selected: (c.slug ?? c.id) === category }, c.name ?? c.slug),
        ),
      ),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "sort" }, "Sort by"),
      h(
        "select",
        { id: "sort", name: "sort" },
        h("option", { value: "" }, "Default"),
        SORTS.map(([v, label]) => h("option", { value: v, selected: v === sort }, label)),
      ),
    ),
    h("button", { type: "submit", class: "btn" }, "Search"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) params.set(k, String(v).trim());
    location.hash = `#/products${params.size ? `?${params}` : ""}`;
  });
  for (const select of form.querySelectorAll("select")) select.addEventListener("change", () => form.requestSubmit());

  const list = h("ul", { class: "grid", id: "product-list", "aria-label": "Products" });
  const summary = h("p", { class: "summary", role: "status" });
  const more = h("button", { type: "button", class: "btn btn-secondary", hidden: true }, "Load more");
  render(
    main,
    h("h1", {}, q ? `Results for “${q}”` : "Catalog"),
    form,
    summary,
    list,
    h("div", { class: "more" }, more),
  );

  let cursor = null;
  let shown = 0;
  const load = async () => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (q) params.set("q", q);
    if (category) params.set("category", category);
    // "relevance" only means something with a search query.
    if (sort && (sort !== "relevance" || q)) params.set("sort", sort);
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", `/products?${params}`, { signal: ctx.signal });
    const items = itemsOf(page);
    for (const p of items) list.append(productCard(p, cats));
    shown += items.length;
    cursor = page?.nextCursor ?? null;
    more.hidden = !cursor;
    summary.textContent =
      shown === 0
        ? "No products match your search."
        : `Showing ${shown} product${shown === 1 ? "" : "s"}${cursor ? "" : " (all results)"}.`;
    return items;
  };
  more.addEventListener("click", () =>
    busy(more, async () => {
      const before = list.children.length;
      try {
        await load();
        // Keep keyboard users in place: focus the first newly loaded product.
        list.children[before]?.querySelector("a")?.focus();
      } catch (err) {
        announce(err.message, "error");
      }
    }),
  );
  await load();
}

/** "Search: mug", "Kitchen", "Search: mug in Kitchen", or "Catalog" when nothing is filtered. */
function catalogTitle(q, category, cats) {
  const named = category ? (cats.find((c) => (c.slug ?? c.id) === category)?.name ?? category) : "";
  if (q) return named ? `Search: ${q} in ${named}` : `Search: ${q}`;
  return named || "Catalog";
}

export function productCard(p, cats = []) {
  const add = h(
    "button",
    { type: "button", class: "btn btn-small", disabled: !inStock(p), "aria-label": `Add ${p.name} to cart` },
    "Add to cart",
  );
  add.addEventListener("click", () => addToCart(p, 1, add));
  return h(
    "li",
    { class: "card", "data-product-id": p.id },
    productImage(p),
    h(
      "div",
      { class: "card-body" },
      h("h2", { class: "card-title" }, h("a", { href: `#/product/${encodeURIComponent(p.id)}` }, p.name)),
      h("p", { class: "muted" }, categoryOf(p, cats)),
      h("p", { class: "price" }, priceText(p)),
      stockLabel(p),
      add,
    ),
  );
}

/** Adds to the cart (guest or signed in) and says so in the live region. */
export async function addToCart(p, quantity, button) {
  await busy(button, async () => {
    try {
      const cart = await api("POST", "/cart/items", { body: { productId: p.id, quantity } });
      await refreshCartBadge(cart?.itemCount === undefined ? undefined : cart);
      announce(`Added ${quantity} × ${p.name} to your cart.`, "success");
    } catch (err) {
      const short = err.code === "insufficient_stock" ? err.problem.lines?.[0] : undefined;
      const left = short ? short.available : null;
      announce(
        left === null
          ? `Could not add ${p.name}: ${err.message}`
          : `Only ${left} of ${p.name} left in stock; your cart already holds what can be ordered.`,
        "error",
      );
    }
  });
}
