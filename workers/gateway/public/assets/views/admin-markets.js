import { api, itemsOf } from "../api.js";
import { announce, field, formError, h, onSubmit, render } from "../dom.js";
import { requireSession } from "../shell.js";

const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK"];

/** "de, fr ,AT" → ["DE", "FR", "AT"]. */
const countriesOf = (text) =>
  String(text ?? "")
    .split(/[\s,]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);

/** Turns a typed price ("24.99") into minor units; NaN when it is not one. */
function toMinor(text, currency) {
  const exponent = new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits;
  const n = Number(String(text).replace(",", "."));
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 10 ** exponent) : Number.NaN;
}

/**
 * Staff: the shop's markets (ADR 0032). Each has a currency and the countries it serves; the
 * default one prices in the products' own prices. New markets sell nothing until their prices
 * are set, per product, here.
 */
export async function adminMarketsView(main, ctx) {
  if (!requireSession({ admin: true })) return;
  const markets = itemsOf(await api("GET", "/markets", { signal: ctx.signal }));
  if (!ctx.isCurrent()) return;
  const others = markets.filter((m) => !m.default);

  const rows = markets.map((m) => {
    const form = h(
      "form",
      { class: "market-row", "data-market": m.code },
      formError(),
      // Field names (and so their ids) are the market's own: one page holds every market's form.
      field({ label: "Name", name: `${m.code}.name`, value: m.name, required: true }),
      field({ label: "Countries (ISO codes)", name: `${m.code}.countries`, value: m.countries.join(", ") }),
      h("button", { type: "submit", class: "btn btn-small" }, `Save ${m.code}`),
    );
    onSubmit(form, form.querySelector("button"), async (v) => {
      await api("PATCH", `/markets/${encodeURIComponent(m.code)}`, {
        body: { name: v[`${m.code}.name`], countries: countriesOf(v[`${m.code}.countries`]) },
      });
      announce(`Market ${m.code} saved.`, "success");
    });
    return h(
      "section",
      { class: "market-admin" },
      h("h2", {}, `${m.name} · ${m.currency}${m.default ? " · default" : ""}`),
      form,
    );
  });

  const create = h(
    "form",
    { id: "create-market" },
    formError(),
    field({ label: "Code", name: "code", required: true, hint: "2 to 8 lowercase letters or digits, e.g. ch" }),
    field({ label: "Name", name: "name", required: true }),
    field({
      label: "Currency",
      name: "currency",
      value: "EUR",
      options: CURRENCIES.map((c) => ({ value: c, label: c })),
    }),
    field({ label: "Countries (ISO codes)", name: "countries", hint: "Comma-separated, e.g. CH, LI" }),
    h("button", { type: "submit", class: "btn" }, "Create market"),
  );
  onSubmit(create, create.querySelector("button"), async (v) => {
    await api("POST", "/markets", {
      body: { code: v.code, name: v.name, currency: v.currency, countries: countriesOf(v.countries) },
    });
    announce(`Market ${v.code} created. Set its prices to sell in it.`, "success", { carry: true });
    await adminMarketsView(main, ctx);
  });

  const prices = h(
    "form",
    { id: "market-prices" },
    formError(),
    field({ label: "Product id", name: "productId", required: true, hint: "prd_…" }),
    field({
      label: "Market",
      name: "market",
      options: others.map((m) => ({ value: m.code, label: `${m.name} (${m.currency})` })),
    }),
    field({
      label: "Price for every variant",
      name: "amount",
      required: true,
      hint: "In the market's currency, e.g. 24.99; empty takes the product off sale there",
      attrs: { inputmode: "decimal" },
    }),
    h("button", { type: "submit", class: "btn" }, "Set prices"),
  );
  onSubmit(
    prices,
    prices.querySelector("button"),
    async (v) => {
      const market = others.find((m) => m.code === v.market);
      const amount = v.amount === "" ? null : toMinor(v.amount, market.currency);
      await api("PUT", `/products/${encodeURIComponent(v.productId)}/prices`, {
        body: { prices: [{ market: v.market, amount }] },
      });
      announce(`Prices in ${market.name} saved.`, "success");
    },
    (v) =>
      others.length === 0
        ? { message: "Create a market besides the default one first." }
        : v.amount !== "" && Number.isNaN(toMinor(v.amount, others.find((m) => m.code === v.market)?.currency ?? "USD"))
          ? { message: "Check the price.", fieldErrors: [{ path: "amount", message: "must be a price like 24.99" }] }
          : null,
  );

  render(
    main,
    h("h1", {}, "Admin: markets"),
    h("p", { class: "muted" }, "Shoppers see the market of their country, or the one they chose, in its currency."),
    ...rows,
    h("h2", {}, "New market"),
    create,
    h("h2", {}, "Prices in a market"),
    prices,
  );
}
