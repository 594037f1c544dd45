import { api, itemsOf } from "../api.js";
import { announce, busy, exponentOf, field, formError, h, money, onSubmit, render } from "../dom.js";
import { inStock, priceOf } from "../product-fields.js";
import { requireSession } from "../shell.js";

const CURRENCIES = ["USD", "EUR", "GBP", "CHF", "SEK", "JPY", "CAD", "AUD"];

const toMinor = (text, currency) => {
  const n = Number(String(text).replace(",", "."));
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 10 ** exponentOf(currency)) : Number.NaN;
};
const toMajor = (m) => (m ? (m.amount / 10 ** exponentOf(m.currency)).toFixed(exponentOf(m.currency)) : "");

/** Staff: create products, change prices, set stock, archive. */
export async function adminProductsView(main, ctx) {
  if (!requireSession({ admin: true })) return;
  const cats = itemsOf(await api("GET", "/categories", { signal: ctx.signal }).catch(() => []));
  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "btn btn-secondary", hidden: true }, "Load more");
  const search = h("input", { id: "admin-q", type: "search", name: "q" });
  const searchForm = h(
    "form",
    { role: "search", class: "search search-small" },
    h("div", { class: "field" }, h("label", { for: "admin-q" }, "Find products"), search),
    h("button", { type: "submit", class: "btn" }, "Search"),
  );

  render(
    main,
    h("h1", {}, "Products and stock"),
    createForm(cats, () => reload()),
    h("h2", {}, "Catalog"),
    searchForm,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "admin-table", id: "admin-products" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Product", "Price", "Available now", "Set stock (on hand)", ""].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        tbody,
      ),
    ),
    h("div", { class: "more" }, more),
  );

  let cursor = null;
  const load = async () => {
    const params = new URLSearchParams({ limit: "20", sort: "newest" });
    if (search.value.trim()) params.set("q", search.value.trim());
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", `/products?${params}`, { signal: ctx.signal });
    for (const p of itemsOf(page)) tbody.append(productRow(p));
    cursor = page?.nextCursor ?? null;
    more.hidden = !cursor;
  };
  const reload = async () => {
    tbody.replaceChildren();
    cursor = null;
    await load().catch((err) => announce(err.message, "error"));
  };
  searchForm.addEventListener("submit", (e) => {
    e.preventDefault();
    reload();
  });
  more.addEventListener("click", () => busy(more, () => load().catch((err) => announce(err.message, "error"))));
  await load();
}

function createForm(cats, done) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Create product");
  const form = h(
    "form",
    { class: "stack", novalidate: true, id: "create-product" },
    formError(),
    h(
      "div",
      { class: "row" },
      field({ label: "Name", name: "name", required: true }),
      field({ label: "SKU", name: "sku", required: true }),
    ),
    field({ label: "Description", name: "description", required: true }),
    h(
      "div",
      { class: "row" },
      field({
        label: "Category",
        name: "categoryId",
        required: true,
        options: cats.map((c) => ({ value: c.id ?? c.slug, label: c.name ?? c.slug })),
      }),
      field({
        label: "Price",
        name: "price",
        required: true,
        attrs: { inputmode: "decimal" },
        hint: "In the currency's usual units, e.g. 19.99",
      }),
      field({
        label: "Currency",
        name: "currency",
        value: "USD",
        options: CURRENCIES.map((c) => ({ value: c, label: c })),
      }),
      field({ label: "Initial stock", name: "initialStock", type: "number", value: "10", attrs: { min: 0 } }),
    ),
    submit,
  );
  onSubmit(
    form,
    submit,
    async (v) => {
      const stock = Number(v.initialStock);
      const body = {
        sku: v.sku,
        name: v.name,
        description: v.description,
        categoryId: v.categoryId,
        price: { amount: toMinor(v.price, v.currency), currency: v.currency },
        initialStock: Number.isInteger(stock) && stock >= 0 ? stock : 0,
      };
      const created = await api("POST", "/products", { body });
      announce(`Created ${created.name}.`, "success");
      form.reset();
      await done();
    },
    (v) =>
      Number.isNaN(toMinor(v.price, v.currency)) && {
        message: "Check the price.",
        fieldErrors: [{ path: "price", message: "Enter a price like 19.99." }],
      },
  );
  return h("details", { class: "panel" }, h("summary", {}, "New product"), form);
}

function productRow(p) {
  const price = priceOf(p);
  const priceId = `price-${p.id}`;
  const stockId = `stock-${p.id}`;
  const priceInput = h("input", {
    id: priceId,
    name: "price",
    value: toMajor(price),
    inputmode: "decimal",
    class: "short",
  });
  const savePrice = h("button", { type: "submit", class: "btn btn-small btn-secondary" }, "Save price");
  const priceForm = h(
    "form",
    { class: "inline" },
    h("label", { for: priceId, class: "visually-hidden" }, `Price of ${p.name} in ${price?.currency ?? ""}`),
    priceInput,
    h("span", { class: "muted" }, price?.currency ?? ""),
    savePrice,
  );
  const stockInput = h("input", {
    id: stockId,
    name: "onHand",
    type: "number",
    min: 0,
    value: "",
    placeholder: "units",
    class: "short",
  });
  const saveStock = h("button", { type: "submit", class: "btn btn-small btn-secondary" }, "Set stock");
  const stockForm = h(
    "form",
    { class: "inline" },
    h("label", { for: stockId, class: "visually-hidden" }, `Units on hand of ${p.name}`),
    stockInput,
    saveStock,
  );
  const archive = h("button", { type: "button", class: "btn btn-small btn-danger" }, "Archive");
  const available = h("td", { class: "available" }, inStock(p) ? "yes" : "sold out");
  const priceCell = h("td", {}, priceForm);
  let version = p.version;

  priceForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const amount = toMinor(priceInput.value, price.currency);
    if (Number.isNaN(amount)) return announce(`Enter a price like 19.99 for ${p.name}.`, "error");
    return busy(savePrice, async () => {
      try {
        // Optimistic concurrency: the write names the version it was based on (lists omit it).
        version ??= (await api("GET", `/products/${encodeURIComponent(p.id)}`)).version;
        const headers = { "if-match": `"${version}"` };
        const updated = await api("PATCH", `/products/${encodeURIComponent(p.id)}`, {
          body: { price: { amount, currency: price.currency } },
          headers,
        });
        version = updated?.version;
        announce(`${p.name} now costs ${money(priceOf(updated) ?? { amount, currency: price.currency })}.`, "success");
      } catch (err) {
        announce(
          err.status === 412
            ? `${p.name} was changed by someone else; reload the page and try again.`
            : `${p.name}: ${err.message}`,
          "error",
        );
      }
    });
  });
  stockForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const onHand = Number(stockInput.value);
    if (!Number.isInteger(onHand) || onHand < 0)
      return announce(`Enter a whole number of units for ${p.name}.`, "error");
    return busy(saveStock, async () => {
      try {
        const inv = await api("PUT", `/products/${encodeURIComponent(p.id)}/inventory`, { body: { onHand } });
        const avail = inv?.available ?? (typeof inv?.onHand === "number" ? inv.onHand - (inv.reserved ?? 0) : null);
        if (avail !== null) available.textContent = String(avail);
        announce(`${p.name}: ${onHand} units on hand.`, "success");
      } catch (err) {
        announce(`${p.name}: ${err.message}`, "error");
      }
    });
  });
  archive.addEventListener("click", () => {
    if (!confirm(`Archive ${p.name}? Shoppers will no longer see it; existing orders keep it.`)) return;
    busy(archive, async () => {
      try {
        await api("DELETE", `/products/${encodeURIComponent(p.id)}`);
        row.remove();
        announce(`${p.name} archived.`, "success");
      } catch (err) {
        announce(`${p.name}: ${err.message}`, "error");
      }
    });
  });
  const row = h(
    "tr",
    { "data-product-id": p.id },
    h(
      "th",
      { scope: "row" },
      h("a", { href: `#/product/${encodeURIComponent(p.id)}` }, p.name),
      h("br"),
      h("span", { class: "muted" }, p.sku ?? ""),
    ),
    priceCell,
    available,
    h("td", {}, stockForm),
    h("td", {}, archive),
  );
  return row;
}
