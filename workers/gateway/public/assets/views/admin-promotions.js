import { api, itemsOf } from "../api.js";
import { announce, busy, exponentOf, field, formError, h, money, onSubmit, render, when } from "../dom.js";
import { requireSession } from "../shell.js";

const CURRENCIES = ["EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "SEK"];

/** Staff: every promotion with its uses; create a code or an automatic one; disable or enable. */
export async function adminPromotionsView(main, ctx) {
  if (!requireSession({ admin: true })) return;
  const tbody = h("tbody");
  const empty = h("p", { hidden: true }, "No promotions yet.");
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Create promotion");
  const form = h(
    "form",
    { class: "stack", novalidate: true, id: "promotion-form", "aria-labelledby": "new-promotion" },
    h("h2", { id: "new-promotion" }, "New promotion"),
    formError(),
    field({ label: "Name", name: "name", required: true }),
    field({ label: "Code", name: "code", hint: "Leave empty for an automatic promotion (applies without a code)." }),
    h(
      "div",
      { class: "row" },
      field({
        label: "Kind",
        name: "kind",
        value: "percentage",
        options: [
          { value: "percentage", label: "Percent off" },
          { value: "fixed", label: "Amount off" },
        ],
      }),
      field({
        label: "Value",
        name: "value",
        required: true,
        attrs: { inputmode: "decimal" },
        hint: "10 = 10 % or 10.00",
      }),
      field({
        label: "Currency",
        name: "currency",
        value: "EUR",
        options: CURRENCIES.map((c) => ({ value: c, label: c })),
      }),
    ),
    h(
      "div",
      { class: "row" },
      field({ label: "Minimum subtotal (optional)", name: "min", attrs: { inputmode: "decimal" } }),
      field({ label: "Total uses (optional)", name: "usageLimit", type: "number", attrs: { min: 1 } }),
      field({ label: "Uses per customer (optional)", name: "perCustomerLimit", type: "number", attrs: { min: 1 } }),
    ),
    h(
      "div",
      { class: "row" },
      field({ label: "Starts (optional)", name: "startsAt", type: "datetime-local" }),
      field({ label: "Ends (optional)", name: "endsAt", type: "datetime-local" }),
    ),
    h(
      "div",
      { class: "radio" },
      h("input", { type: "checkbox", id: "f-exclusive", name: "exclusive", value: "yes" }),
      h("label", { for: "f-exclusive" }, "Exclusive: never combines with another promotion"),
    ),
    submit,
  );
  onSubmit(form, submit, async (v) => {
    const minor = (text) => Math.round(Number(text) * 10 ** exponentOf(v.currency));
    const body = {
      name: v.name,
      discount:
        v.kind === "percentage"
          ? { kind: "percentage", percent: Number(v.value) }
          : { kind: "fixed", amount: { [v.currency]: minor(v.value) } },
      target: { scope: "order" },
      exclusive: v.exclusive === "yes",
    };
    if (v.code) body.code = v.code;
    if (v.min) body.minSubtotal = { [v.currency]: minor(v.min) };
    if (v.usageLimit) body.usageLimit = Number(v.usageLimit);
    if (v.perCustomerLimit) body.perCustomerLimit = Number(v.perCustomerLimit);
    if (v.startsAt) body.startsAt = new Date(v.startsAt).toISOString();
    if (v.endsAt) body.endsAt = new Date(v.endsAt).toISOString();
    const created = await api("POST", "/promotions", { body });
    tbody.prepend(promotionRow(created));
    empty.hidden = true;
    form.reset();
    announce(`Promotion “${created.name}” created.`);
  });

  render(
    main,
    h("h1", {}, "Admin: promotions"),
    empty,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "admin-table", id: "admin-promotions" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Code", "Name", "Discount", "Valid", "Uses", "Status", "Action"].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        tbody,
      ),
    ),
    form,
  );
  const page = await api("GET", "/promotions", { signal: ctx.signal });
  for (const p of itemsOf(page)) tbody.append(promotionRow(p));
  empty.hidden = tbody.children.length > 0;
}

function discountText(p) {
  const d = p.discount;
  const off =
    d.kind === "percentage"
      ? `${d.percent} %`
      : Object.entries(d.amount)
          .map(([currency, amount]) => money({ amount, currency }))
          .join(" / ");
  const min = p.minSubtotal
    ? ` from ${Object.entries(p.minSubtotal)
        .map(([currency, amount]) => money({ amount, currency }))
        .join(" / ")}`
    : "";
  return `${off} off${min}${p.exclusive ? " (exclusive)" : ""}`;
}

function promotionRow(p) {
  const status = h("td", {}, p.active ? "Active" : "Disabled");
  const toggle = h("button", { type: "button", class: "btn btn-small btn-secondary" }, p.active ? "Disable" : "Enable");
  toggle.addEventListener("click", () =>
    busy(toggle, async () => {
      try {
        p = await api("PATCH", `/promotions/${encodeURIComponent(p.id)}`, { body: { active: !p.active } });
        status.textContent = p.active ? "Active" : "Disabled";
        toggle.textContent = p.active ? "Disable" : "Enable";
        announce(`${p.code ?? p.name} ${p.active ? "enabled" : "disabled"}.`);
      } catch (err) {
        announce(err.message, "error");
      }
    }),
  );
  return h(
    "tr",
    { "data-promotion-id": p.id },
    h("th", { scope: "row" }, p.code ? h("code", {}, p.code) : h("span", { class: "muted" }, "automatic")),
    h("td", {}, p.name),
    h("td", {}, discountText(p)),
    h(
      "td",
      {},
      [p.startsAt ? `from ${when(p.startsAt)}` : "", p.endsAt ? ` until ${when(p.endsAt)}` : ""].join("") || "always",
    ),
    h(
      "td",
      {},
      `${p.uses}${p.usageLimit ? ` / ${p.usageLimit}` : ""}${p.perCustomerLimit ? ` (max ${p.perCustomerLimit} each)` : ""}`,
    ),
    status,
    h("td", {}, toggle),
  );
}
