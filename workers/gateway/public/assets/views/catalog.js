import { addToCart as addLine, api, itemsOf } from "../api.js";
import { announce, busy, h, money, render } from "../dom.js";
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

/** The catalog's filters in a URL's query: lists are comma-separated, as the API takes them. */
function filtersOf(query) {
  const list = (key) =>
    (query.get(key) ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  return {
    category: list("category"),
    price: list("price"),
    option: list("option"),
    inStock: query.get("inStock") === "true",
  };
}

/** The query a catalog URL and its API call share (without paging). */
function queryOf(q, sort, filters) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (filters.category.length) params.set("category", filters.category.join(","));
  if (filters.price.length) params.set("price", filters.price.join(","));
  if (filters.option.length) params.set("option", filters.option.join(","));
  if (filters.inStock) params.set("inStock", "true");
  // "relevance" only means something with a search query.
  if (sort && (sort !== "relevance" || q)) params.set("sort", sort);
  return params;
}

const toggled = (list, value) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

/**
 * Catalog: search, sort, facet filters with their counts (category, price band, in stock, option
 * values such as size and colour), and
 * "load more" cursor paging. Ticking a filter narrows the list in place: the URL follows (so it
 * can be shared and Back undoes it) and keyboard focus stays on the box.
 */
export async function catalogView(main, ctx) {
  const q = ctx.query.get("q") ?? "";
  const sort = ctx.query.get("sort") ?? "";
  let filters = filtersOf(ctx.query);
  const cats = await categories();
  // The heading and the tab say the same: what the list shows.
  const heading = h("h1", {}, catalogTitle(q, filters.category, cats));
  if (ctx.isCurrent()) setTitle(heading.textContent);

  const form = h(
    "form",
    { class: "search search-catalog", role: "search", "aria-label": "Search the catalog" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "q" }, "Search"),
      h("input", { id: "q", name: "q", type: "search", value: q, placeholder: "e.g. mug, headphones" }),
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
    const data = new FormData(form);
    const params = queryOf(String(data.get("q") ?? "").trim(), String(data.get("sort") ?? ""), filters);
    location.hash = `#/products${params.size ? `?${params}` : ""}`;
  });
  form.querySelector("select").addEventListener("change", () => form.requestSubmit());

  const list = h("ul", { class: "grid", id: "product-list", "aria-label": "Products" });
  const summary = h("p", { class: "summary", role: "status" });
  const more = h("button", { type: "button", class: "btn btn-secondary", hidden: true }, "Load more");
  const panel = h("section", { class: "facets", id: "facets", "aria-labelledby": "facets-title" });
  render(
    main,
    heading,
    form,
    h(
      "div",
      { class: "catalog-layout" },
      panel,
      h("div", { class: "catalog-results" }, summary, list, h("div", { class: "more" }, more)),
    ),
  );

  let cursor = null;
  let shown = 0;
  let total = null;
  // A newer filter change wins: an older page that answers late is dropped.
  let generation = 0;
  const load = async () => {
    const mine = generation;
    const params = queryOf(q, sort, filters);
    params.set("limit", String(PAGE_SIZE));
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", `/products?${params}`, { signal: ctx.signal });
    if (mine !== generation) return [];
    const items = itemsOf(page);
    if (!cursor && page?.facets) {
      const focused = document.activeElement?.id;
      total = filters.inStock ? page.facets.inStock.true : page.facets.inStock.true + page.facets.inStock.false;
      render(panel, facetControls(page.facets, filters, items[0]?.price?.currency ?? "USD", changeFilter));
      // Keyboard focus stays on the box just ticked; a control that went away hands it to the panel.
      if (focused && panel.contains(document.activeElement) === false && focused.startsWith("facet"))
        (panel.querySelector(`#${CSS.escape(focused)}`) ?? panel.querySelector("h2"))?.focus();
    }
    for (const p of items) list.append(productCard(p, cats));
    shown += items.length;
    cursor = page?.nextCursor ?? null;
    more.hidden = !cursor;
    summary.textContent =
      shown === 0
        ? "No products match your search."
        : `Showing ${shown}${total === null ? "" : ` of ${total}`} product${(total ?? shown) === 1 ? "" : "s"}${cursor ? "" : " (all results)"}.`;
    return items;
  };
  async function changeFilter(next) {
    filters = next;
    generation++;
    const params = queryOf(q, sort, filters);
    // The URL follows without a new navigation (which would rebuild the page and move focus).
    history.pushState(null, "", `#/products${params.size ? `?${params}` : ""}`);
    heading.textContent = catalogTitle(q, filters.category, cats);
    setTitle(heading.textContent);
    cursor = null;
    shown = 0;
    list.replaceChildren();
    try {
      await load();
    } catch (err) {
      announce(err.message, "error");
    }
  }
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

/** "Under $20.00", "$20.00 to $50.00", "$200.00 and over" for the API's `from-to` bands. */
function bandLabel(band, currency) {
  const [from = "", to = ""] = band.split("-");
  const at = (n) => money({ amount: Number(n), currency });
  if (to === "") return `${at(from)} and over`;
  return Number(from) === 0 ? `Under ${at(to)}` : `${at(from)} to ${at(to)}`;
}

/** One facet value: a checkbox whose label says how many products it would show. */
function facetBox(id, label, count, checked, onToggle) {
  return h(
    "div",
    { class: "checkbox" },
    h("input", { type: "checkbox", id, checked, disabled: count === 0 && !checked, onchange: onToggle }),
    h("label", { for: id, class: count === 0 && !checked ? "muted" : undefined }, `${label} (${count})`),
  );
}

/** A value usable in an element id ("Navy Blue" → "Navy-Blue"). */
const idPart = (s) => String(s).replace(/[^A-Za-z0-9_-]+/g, "-");

const optionTitle = (name) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * One fieldset per option name (size, colour…): its values as boxes, `name:value` in the URL as
 * the API takes them. With "in stock only", a size counts products that have it in stock.
 */
function optionFacets(facets, filters, change) {
  return (facets.options ?? [])
    .filter((o) => o.values.length > 0)
    .map((o) =>
      h(
        "fieldset",
        { class: "facet-option", "data-option": o.name },
        h("legend", {}, optionTitle(o.name)),
        o.values.map((v) => {
          const key = `${o.name}:${v.value}`;
          return facetBox(
            `facet-option-${idPart(o.name)}-${idPart(v.value)}`,
            v.value,
            v.count,
            filters.option.includes(key),
            () => change({ ...filters, option: toggled(filters.option, key) }),
          );
        }),
      ),
    );
}

/** The filter panel: each facet's counts already apply the other filters (the API's rule). */
function facetControls(facets, filters, currency, change) {
  const any = filters.category.length > 0 || filters.price.length > 0 || filters.option.length > 0 || filters.inStock;
  return [
    h("h2", { id: "facets-title", tabindex: "-1" }, "Filter"),
    h(
      "fieldset",
      {},
      h("legend", {}, "Category"),
      facets.category.map((c) =>
        facetBox(`facet-category-${c.value}`, c.label, c.count, filters.category.includes(c.value), () =>
          change({ ...filters, category: toggled(filters.category, c.value) }),
        ),
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Price"),
      facets.price.map((b) =>
        facetBox(`facet-price-${b.band}`, bandLabel(b.band, currency), b.count, filters.price.includes(b.band), () =>
          change({ ...filters, price: toggled(filters.price, b.band) }),
        ),
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Availability"),
      facetBox("facet-in-stock", "In stock only", facets.inStock.true, filters.inStock, () =>
        change({ ...filters, inStock: !filters.inStock }),
      ),
    ),
    optionFacets(facets, filters, change),
    any
      ? h(
          "button",
          {
            type: "button",
            class: "btn btn-small btn-secondary",
            id: "facets-clear",
            onclick: () => change({ category: [], price: [], option: [], inStock: false }),
          },
          "Clear filters",
        )
      : null,
  ];
}

/** "Search: mug", "Kitchen", "Search: mug in Kitchen", or "Catalog" when nothing is filtered. */
function catalogTitle(q, category, cats) {
  const names = category.map((c) => cats.find((x) => (x.slug ?? x.id) === c || x.id === c)?.name ?? c);
  const named = names.join(", ");
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

/** A product's default variant (ADR 0029): its id under the variant prefix, as contracts' defaultVariantId. */
const defaultVariantOf = (productId) => `var_${productId.slice(productId.indexOf("_") + 1)}`;

/**
 * Adds to the cart (guest or signed in) and says so in the live region. `variant` (`{ id,
 * label }`) is the product page's choice of size, colour…; the product alone means its default
 * variant, so that one goes without `variantId` (an orders release that predates variants still
 * takes it, ADR 0016).
 */
export async function addToCart(p, quantity, button, variant) {
  await busy(button, async () => {
    try {
      const named = variant && variant.id !== defaultVariantOf(p.id);
      const cart = await addLine(p.id, quantity, named ? variant.id : undefined);
      await refreshCartBadge(cart?.itemCount === undefined ? undefined : cart);
      const name = variant?.label ? `${p.name} (${variant.label})` : p.name;
      announce(`Added ${quantity} × ${name} to your cart.`, "success");
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
