import { api, itemsOf } from "../api.js";
import { announce, busy, exponentOf, field, formError, h, money, onSubmit, render } from "../dom.js";
import { priceOf } from "../product-fields.js";
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
    h("h1", {}, "Admin: products"),
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
            [
              "Product",
              "Price",
              "On hand",
              "Reserved",
              "Available",
              "Set stock (on hand)",
              "Images",
              "Variants",
              "",
            ].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        tbody,
      ),
    ),
    h("div", { class: "more" }, more),
  );

  let cursor = null;
  // A new search wins: a page of the previous one that answers late is dropped.
  let generation = 0;
  const load = async () => {
    const mine = generation;
    const params = new URLSearchParams({ limit: "20", sort: "newest" });
    if (search.value.trim()) params.set("q", search.value.trim());
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", `/products?${params}`, { signal: ctx.signal });
    if (mine !== generation) return;
    const rows = itemsOf(page).map(productRow);
    // Each product row is followed by its (closed) variants row.
    tbody.append(...rows.flatMap((r) => [r, r.variantsRow]));
    cursor = page?.nextCursor ?? null;
    more.hidden = !cursor;
    await loadStock(rows, ctx.signal);
  };
  const reload = async () => {
    generation++;
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

/** On hand, reserved and available of the listed products: one admin call for the page. */
async function loadStock(rows, signal) {
  if (rows.length === 0) return;
  const ids = rows.map((r) => encodeURIComponent(r.dataset.productId)).join(",");
  let stock;
  try {
    stock = await api("GET", `/products/inventory?ids=${ids}`, { signal });
  } catch (err) {
    // The products still list; the stock cells keep "—" and say why.
    if (err?.name !== "AbortError") announce(`Could not read the stock: ${err.message}`, "error");
    return;
  }
  for (const s of itemsOf(stock)) {
    const row = rows.find((r) => r.dataset.productId === s.productId);
    if (row) showStock(row, s);
  }
}

/** Fills a row's stock cells; the stock field starts from the units on hand. */
function showStock(row, s) {
  row.querySelector(".on-hand").textContent = String(s.onHand);
  row.querySelector(".reserved").textContent = String(s.reserved);
  row.querySelector(".available").textContent = String(s.available ?? s.onHand - s.reserved);
  row.querySelector('input[name="onHand"]').value = String(s.onHand);
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
  // Filled by loadStock; "—" until then (or if the stock could not be read).
  const available = h("td", { class: "available" }, "—");
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
        if (typeof inv?.onHand === "number") showStock(row, inv);
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
  const variantsRow = h("tr", { class: "variants-row", id: `variants-${p.id}`, hidden: true });
  const variantsToggle = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-secondary",
      "aria-expanded": "false",
      "aria-controls": `variants-${p.id}`,
      "aria-label": `Variants of ${p.name}`,
    },
    "Variants",
  );
  let grid = null;
  variantsToggle.addEventListener("click", () => {
    const open = variantsRow.hidden;
    variantsRow.hidden = !open;
    variantsToggle.setAttribute("aria-expanded", String(open));
    if (open && !grid) {
      grid = variantsGrid(p);
      variantsRow.append(h("td", { colspan: 9 }, grid));
    }
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
    h("td", { class: "on-hand" }, "—"),
    h("td", { class: "reserved" }, "—"),
    available,
    h("td", {}, stockForm),
    h("td", {}, imageManager(p)),
    h("td", {}, variantsToggle),
    h("td", {}, archive),
  );
  row.variantsRow = variantsRow;
  return row;
}

/**
 * A product's variants as a grid: option values, SKU, price, one price per other market (ADR
 * 0032: blank = not sold there), on hand, reserved, available, status; all but reserved and
 * available are edited in place and saved per row. Below it: add a
 * variant (one value per option) and edit the product's options (names and their values).
 */
function variantsGrid(p) {
  const base = `/products/${encodeURIComponent(p.id)}`;
  const root = h("section", { class: "variants-grid", "aria-label": `Variants of ${p.name}` }, h("p", {}, "Loading…"));
  let options = [];
  /** The markets other than the default one: each has a price column (ADR 0032). */
  let markets = [];
  /** variantId → market → amount (minor units), from `GET /products/{id}/prices`. */
  let marketPrices = new Map();
  const currency = priceOf(p)?.currency ?? "USD";

  function variantRow(v) {
    const key = v.id;
    const input = (name, label, attrs) =>
      h("input", { name, "aria-label": `${label} of ${variantName(v)}`, class: "short", ...attrs });
    const sku = input("sku", "SKU", { value: v.sku });
    const price = input("price", "Price", { value: toMajor(v.price), inputmode: "decimal" });
    const own = () => marketPrices.get(v.id) ?? new Map();
    const majorIn = (m) => {
      const amount = own().get(m.code);
      return amount === undefined ? "" : toMajor({ amount, currency: m.currency });
    };
    const perMarket = markets.map((m) => ({
      market: m,
      input: input(`price-${m.code}`, `Price in ${m.name} (${m.currency})`, {
        value: majorIn(m),
        inputmode: "decimal",
        placeholder: "not sold",
      }),
    }));
    const onHand = input("onHand", "On hand", { type: "number", min: 0, value: String(v.onHand) });
    const status = h(
      "select",
      { name: "status", "aria-label": `Status of ${variantName(v)}` },
      ["active", "archived"].map((s) => h("option", { value: s, selected: s === v.status }, s)),
    );
    const reserved = h("td", { class: "reserved" }, String(v.reserved));
    const available = h("td", { class: "available" }, String(v.availableQuantity));
    const save = h(
      "button",
      { type: "button", class: "btn btn-small", "aria-label": `Save ${variantName(v)}` },
      "Save",
    );
    const tr = h(
      "tr",
      { "data-variant-id": key },
      options.map((o) => h("td", { class: "option-cell" }, v.options?.[o.name] ?? "—")),
      h("td", {}, sku),
      h("td", {}, price, h("span", { class: "muted" }, ` ${v.price.currency}`)),
      perMarket.map(({ input: i }) => h("td", { class: "market-price" }, i)),
      h("td", {}, onHand),
      reserved,
      available,
      h("td", {}, status),
      h("td", {}, save),
    );
    const show = (next) => {
      v = { ...v, ...next };
      reserved.textContent = String(v.reserved);
      available.textContent = String(v.availableQuantity);
    };
    save.addEventListener("click", () =>
      busy(save, async () => {
        const amount = toMinor(price.value, v.price.currency);
        const units = Number(onHand.value);
        if (Number.isNaN(amount)) return announce(`Enter a price like 19.99 for ${variantName(v)}.`, "error");
        if (!Number.isInteger(units) || units < 0)
          return announce(`Enter a whole number of units for ${variantName(v)}.`, "error");
        // One line per market whose price changed; blank takes the variant off sale there.
        const lines = [];
        for (const { market: m, input: i } of perMarket) {
          const text = i.value.trim();
          const next = text === "" ? null : toMinor(text, m.currency);
          if (Number.isNaN(next))
            return announce(`Enter a price like 19.99 (or nothing) in ${m.currency} for ${variantName(v)}.`, "error");
          if (next !== (own().get(m.code) ?? null)) lines.push({ variantId: v.id, market: m.code, amount: next });
        }
        const patch = {};
        if (sku.value.trim() !== v.sku) patch.sku = sku.value.trim();
        if (amount !== v.price.amount) patch.price = { amount, currency: v.price.currency };
        if (status.value !== v.status) patch.status = status.value;
        try {
          if (Object.keys(patch).length > 0)
            show(await api("PATCH", `${base}/variants/${encodeURIComponent(v.id)}`, { body: patch }));
          if (units !== v.onHand) {
            const inv = await api("PUT", `${base}/variants/${encodeURIComponent(v.id)}/inventory`, {
              body: { onHand: units },
            });
            show({
              onHand: inv.onHand,
              reserved: inv.reserved,
              availableQuantity: inv.available ?? inv.onHand - inv.reserved,
            });
          }
          if (lines.length > 0) {
            await api("PUT", `${base}/prices`, { body: { prices: lines } });
            const mine = new Map(own());
            for (const l of lines) {
              if (l.amount === null) mine.delete(l.market);
              else mine.set(l.market, l.amount);
            }
            marketPrices.set(v.id, mine);
          }
          announce(`Saved ${variantName(v)}.`, "success");
        } catch (err) {
          announce(`${variantName(v)}: ${err.message}`, "error");
        }
      }),
    );
    return tr;
  }

  const variantName = (v) => {
    const label = options
      .map((o) => v.options?.[o.name])
      .filter(Boolean)
      .join(" / ");
    return `${p.name}${label ? ` ${label}` : ""}`;
  };

  function addForm() {
    const selects = options.map((o, i) =>
      h(
        "div",
        { class: "field" },
        h("label", { for: `new-variant-${p.id}-${i}` }, o.name),
        h(
          "select",
          { id: `new-variant-${p.id}-${i}`, name: o.name },
          o.values.map((value) => h("option", { value }, value)),
        ),
      ),
    );
    const text = (name, label, attrs = {}) =>
      h(
        "div",
        { class: "field" },
        h("label", { for: `new-variant-${p.id}-${name}` }, label),
        h("input", { id: `new-variant-${p.id}-${name}`, name, class: "short", ...attrs }),
      );
    const submit = h("button", { type: "submit", class: "btn btn-small" }, "Add variant");
    const form = h(
      "form",
      { class: "inline add-variant" },
      selects,
      text("sku", "SKU", { required: true }),
      text("price", `Price (${currency}, blank: the product's)`, { inputmode: "decimal" }),
      text("initialStock", "Initial stock", { type: "number", min: 0, value: "0" }),
      submit,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const body = {
        sku: String(data.get("sku") ?? "").trim(),
        options: Object.fromEntries(options.map((o) => [o.name, String(data.get(o.name))])),
        initialStock: Number(data.get("initialStock") || 0),
      };
      const priceText = String(data.get("price") ?? "").trim();
      if (priceText) body.price = { amount: toMinor(priceText, currency), currency };
      return busy(submit, async () => {
        try {
          await api("POST", `${base}/variants`, { body });
          // Redrawn first, so the message follows what the grid shows.
          await load();
          announce(`Added a variant of ${p.name}.`, "success");
        } catch (err) {
          announce(`${p.name}: ${err.message}`, "error");
        }
      });
    });
    return h("details", { class: "panel" }, h("summary", {}, "Add a variant"), form);
  }

  function optionsForm() {
    // The product's options (at most 3), one line each; an empty line adds one.
    const rows = [...options, { name: "", values: [] }]
      .slice(0, 3)
      .map((o, i) =>
        h(
          "div",
          { class: "row option-edit" },
          h(
            "div",
            { class: "field" },
            h("label", { for: `opt-name-${p.id}-${i}` }, `Option ${i + 1} name`),
            h("input", { id: `opt-name-${p.id}-${i}`, name: `name${i}`, value: o.name, class: "short" }),
          ),
          h(
            "div",
            { class: "field" },
            h("label", { for: `opt-values-${p.id}-${i}` }, `Option ${i + 1} values (comma-separated, in order)`),
            h("input", { id: `opt-values-${p.id}-${i}`, name: `values${i}`, value: o.values.join(", ") }),
          ),
        ),
      );
    const submit = h("button", { type: "submit", class: "btn btn-small" }, "Save options");
    const form = h("form", { class: "stack edit-options" }, rows, submit);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const next = rows
        .map((_, i) => ({
          name: String(data.get(`name${i}`) ?? "").trim(),
          values: String(data.get(`values${i}`) ?? "")
            .split(",")
            .map((v) => v.trim())
            .filter(Boolean),
        }))
        .filter((o) => o.name);
      return busy(submit, async () => {
        try {
          await api("PUT", `${base}/options`, { body: { options: next } });
          // Redrawn first, so the message follows what the grid shows.
          await load();
          announce(`Saved the options of ${p.name}.`, "success");
        } catch (err) {
          announce(`${p.name}: ${err.message}`, "error");
        }
      });
    });
    return h("details", { class: "panel" }, h("summary", {}, "Edit options"), form);
  }

  async function load() {
    try {
      // Market prices are an addition: without them (an error) the grid shows the variants alone.
      const [list, [allMarkets, prices]] = await Promise.all([
        api("GET", `${base}/variants`),
        Promise.all([api("GET", "/markets"), api("GET", `${base}/prices`)]).catch(() => [null, null]),
      ]);
      options = Array.isArray(list?.options) ? list.options : [];
      markets = itemsOf(allMarkets).filter((m) => !m.default);
      marketPrices = new Map();
      for (const line of itemsOf(prices)) {
        if (!marketPrices.has(line.variantId)) marketPrices.set(line.variantId, new Map());
        marketPrices.get(line.variantId).set(line.market, line.amount);
      }
      const head = [
        ...options.map((o) => o.name),
        "SKU",
        `Price (${currency})`,
        ...markets.map((m) => `${m.name} (${m.currency})`),
        "On hand",
        "Reserved",
        "Available",
        "Status",
        "",
      ];
      render(
        root,
        h(
          "table",
          { class: "admin-table variants-table" },
          h("caption", {}, `Variants of ${p.name}`),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              head.map((t) => h("th", { scope: "col" }, t)),
            ),
          ),
          h("tbody", {}, itemsOf(list).map(variantRow)),
        ),
        options.length ? addForm() : null,
        optionsForm(),
      );
    } catch (err) {
      render(root, h("p", { class: "muted" }, `Could not read the variants: ${err.message}`));
    }
  }
  load();
  return root;
}

const IMAGE_TYPES = "image/jpeg,image/png,image/webp";

/**
 * A product's images, opened on demand: upload (with alt text), move up or down, change the
 * alt text, delete. Every change sends the whole order (the API refuses a stale list).
 */
function imageManager(p) {
  const base = `/products/${encodeURIComponent(p.id)}/images`;
  const list = h("ol", { class: "image-list" });
  const fileId = `image-file-${p.id}`;
  const altId = `image-alt-${p.id}`;
  const file = h("input", { id: fileId, name: "image", type: "file", accept: IMAGE_TYPES, required: true });
  const alt = h("input", { id: altId, name: "alt", type: "text", maxlength: 300 });
  const upload = h("button", { type: "submit", class: "btn btn-small" }, "Upload");
  const form = h(
    "form",
    { class: "stack upload-image" },
    h("div", { class: "field" }, h("label", { for: fileId }, `Image for ${p.name} (JPEG, PNG or WebP, ≤ 5 MB)`), file),
    h("div", { class: "field" }, h("label", { for: altId }, "Alt text (what the image shows)"), alt),
    upload,
  );
  let images = [];

  const arrange = (next, message) =>
    api("PATCH", base, { body: { images: next.map((i) => ({ id: i.id, alt: i.alt })) } })
      .then((res) => {
        images = itemsOf(res);
        draw();
        announce(message, "success");
      })
      .catch((err) => announce(`${p.name}: ${err.message}`, "error"));

  function item(img, i) {
    const altInput = h("input", {
      type: "text",
      value: img.alt,
      maxlength: 300,
      "aria-label": `Alt text of image ${i + 1} of ${p.name}`,
    });
    const move = (to) => {
      const next = [...images];
      next.splice(to, 0, ...next.splice(i, 1));
      return arrange(next, `Moved image ${i + 1} of ${p.name} to place ${to + 1}.`);
    };
    const btn = (label, aria, onclick, disabled = false) =>
      h(
        "button",
        { type: "button", class: "btn btn-small btn-secondary", "aria-label": aria, onclick, disabled },
        label,
      );
    return h(
      "li",
      { class: "image-item", "data-image-id": img.id },
      h("img", { src: img.url, alt: "", width: 48, height: 48 }),
      altInput,
      btn("Save alt", `Save alt text of image ${i + 1}`, () =>
        arrange(
          images.map((x) => (x.id === img.id ? { ...x, alt: altInput.value } : x)),
          `Saved the alt text of image ${i + 1} of ${p.name}.`,
        ),
      ),
      btn("↑", `Move image ${i + 1} up`, () => move(i - 1), i === 0),
      btn("↓", `Move image ${i + 1} down`, () => move(i + 1), i === images.length - 1),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-small btn-danger",
          "aria-label": `Delete image ${i + 1} of ${p.name}`,
          onclick: () =>
            api("DELETE", `${base}/${encodeURIComponent(img.id)}`)
              .then(() => {
                images = images.filter((x) => x.id !== img.id);
                draw();
                announce(`Deleted image ${i + 1} of ${p.name}.`, "success");
              })
              .catch((err) => announce(`${p.name}: ${err.message}`, "error")),
        },
        "Delete",
      ),
    );
  }
  function draw() {
    list.replaceChildren(...images.map(item));
    summary.textContent = `Images (${images.length})`;
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return announce(`Choose an image file for ${p.name}.`, "error");
    return busy(upload, async () => {
      try {
        const added = await api("PUT", `${base}?alt=${encodeURIComponent(alt.value)}`, { body: chosen });
        images = [...images, added];
        draw();
        form.reset();
        announce(`Uploaded an image for ${p.name}.`, "success");
      } catch (err) {
        announce(`${p.name}: ${err.message}`, "error");
      }
    });
  });
  const summary = h("summary", {}, "Images");
  const details = h("details", { class: "image-manager" }, summary, list, form);
  let loaded = false;
  details.addEventListener("toggle", () => {
    if (!details.open || loaded) return;
    loaded = true;
    api("GET", base)
      .then((res) => {
        images = itemsOf(res);
        draw();
      })
      .catch((err) => announce(`${p.name}: ${err.message}`, "error"));
  });
  return details;
}
