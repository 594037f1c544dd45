import { api } from "../api.js";
import { announce, busy, exponentOf, field, formError, h, money, onSubmit, render } from "../dom.js";
import { requireSession } from "../shell.js";

/** The currencies the method form offers: one amount field each (ADR 0033 rates are per currency). */
const CURRENCIES = ["USD", "EUR", "GBP"];
const KINDS = [
  { value: "flat", label: "Flat rate" },
  { value: "free_above", label: "Free above a subtotal" },
  { value: "weight", label: "By weight (bands)" },
];

const amounts = (byCurrency) =>
  Object.entries(byCurrency ?? {})
    .map(([currency, amount]) => money({ amount, currency }))
    .join(" / ") || "—";

/** "4.90" in the currency's units → minor units; empty → absent. */
function minorOf(text, currency) {
  if (text === undefined || text === "") return undefined;
  return Math.round(Number(text) * 10 ** exponentOf(currency));
}
const majorOf = (minor, currency) => (minor === undefined ? "" : String(minor / 10 ** exponentOf(currency)));

/** `{ USD: 490, … }` from the form's `<prefix>.USD`, … fields; the currencies left empty are not offered. */
function amountFields(v, prefix) {
  const out = {};
  for (const c of CURRENCIES) {
    const minor = minorOf(v[`${prefix}.${c}`], c);
    if (minor !== undefined) out[c] = minor;
  }
  return out;
}

/** Bands typed one per line: "grams: USD EUR GBP" amounts, "-" for a currency not offered. */
function parseBands(text) {
  return String(text ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [grams, rest = ""] = line.split(":");
      const cost = {};
      rest
        .trim()
        .split(/\s+/)
        .forEach((amount, i) => {
          if (CURRENCIES[i] && amount && amount !== "-") cost[CURRENCIES[i]] = minorOf(amount, CURRENCIES[i]);
        });
      return { upToGrams: Number(grams), cost };
    });
}
const bandsText = (bands) =>
  (bands ?? [])
    .map(
      (b) =>
        `${b.upToGrams}: ${CURRENCIES.map((c) => (b.cost[c] === undefined ? "-" : majorOf(b.cost[c], c))).join(" ")}`,
    )
    .join("\n");

function rateText(rate) {
  if (rate.kind === "flat") return `Flat ${amounts(rate.cost)}`;
  if (rate.kind === "free_above") return `${amounts(rate.cost)}, free from ${amounts(rate.threshold)}`;
  return rate.bands.map((b) => `up to ${b.upToGrams} g: ${amounts(b.cost)}`).join("; ");
}

/**
 * A problem from the method form's PUT names body fields ("name", "rate.cost.USD"); the form's
 * own inputs for the method's id and name are `methodId` and `methodName` (the zone form owns
 * `id` and `name`), so those paths are renamed before the form shows them.
 */
function forMethodForm(err) {
  const rename = { id: "methodId", name: "methodName", "rate.bands": "bands" };
  for (const fe of err.fieldErrors ?? []) {
    const path = String(fe.path ?? "").replace(/^body\./, "");
    if (rename[path]) fe.path = rename[path];
    else if (path.startsWith("rate.bands.")) fe.path = "bands";
    else if (path === "rate" || path === "rate.kind") fe.path = "kind";
  }
  return err;
}

/** Staff: the shipping zones (sets of countries) and each zone's methods; add, edit, delete. */
export async function adminShippingView(main, ctx) {
  if (!requireSession({ admin: true })) return;
  const list = h("div", { id: "shipping-zones", class: "stack" });
  const empty = h("p", { hidden: true }, "No shipping zones yet.");
  let setup = { zones: [], methods: [] };

  const zoneIdInput = () => zoneForm.querySelector("[name=id]");
  const methodZone = () => methodForm.querySelector("[name=zoneId]");

  const zoneSubmit = h("button", { type: "submit", class: "btn btn-primary" }, "Save zone");
  const zoneForm = h(
    "form",
    { class: "stack", novalidate: true, id: "zone-form", "aria-labelledby": "zone-form-title" },
    h("h2", { id: "zone-form-title" }, "Add or edit a zone"),
    formError(),
    field({ label: "Zone id", name: "id", required: true, hint: "Lower-case letters, digits and -, e.g. nordics" }),
    field({ label: "Zone name", name: "name", required: true }),
    field({ label: "Countries (ISO codes)", name: "countries", required: true, hint: "Comma-separated, e.g. NO, IS" }),
    zoneSubmit,
  );
  onSubmit(zoneForm, zoneSubmit, async (v) => {
    const countries = String(v.countries ?? "")
      .split(",")
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    const zone = await api("PUT", `/shipping/zones/${encodeURIComponent(v.id)}`, { body: { name: v.name, countries } });
    const known = setup.zones.some((z) => z.id === zone.id);
    setup.zones = known ? setup.zones.map((z) => (z.id === zone.id ? zone : z)) : [...setup.zones, zone];
    draw();
    zoneForm.reset();
    announce(`Zone “${zone.name}” ${known ? "saved" : "created"}.`);
  });

  const kindField = field({ label: "Rate", name: "kind", value: "flat", options: KINDS });
  const costRow = h(
    "fieldset",
    { class: "row", "data-for-kind": "flat free_above" },
    h("legend", {}, "Cost (leave a currency empty to not offer it there)"),
    CURRENCIES.map((c) => field({ label: `Cost ${c}`, name: `rate.cost.${c}`, attrs: { inputmode: "decimal" } })),
  );
  const thresholdRow = h(
    "fieldset",
    { class: "row", "data-for-kind": "free_above", hidden: true },
    h("legend", {}, "Free when the subtotal reaches"),
    CURRENCIES.map((c) =>
      field({ label: `Free above ${c}`, name: `rate.threshold.${c}`, attrs: { inputmode: "decimal" } }),
    ),
  );
  const bandsField = h(
    "div",
    { "data-for-kind": "weight", hidden: true },
    field({
      label: "Weight bands",
      name: "bands",
      hint: `One band per line: grams, then the cost in ${CURRENCIES.join(" ")} (- for none), e.g. 1000: 5 4.5 4`,
    }),
  );
  // A textarea instead of the field's input: bands are lines.
  const bandsInput = bandsField.querySelector("input");
  const bandsArea = h("textarea", {
    id: bandsInput.id,
    name: "bands",
    rows: 3,
    "aria-describedby": bandsInput.getAttribute("aria-describedby"),
  });
  bandsInput.replaceWith(bandsArea);

  const methodSubmit = h("button", { type: "submit", class: "btn btn-primary" }, "Save method");
  const methodForm = h(
    "form",
    { class: "stack", novalidate: true, id: "method-form", "aria-labelledby": "method-form-title" },
    h("h2", { id: "method-form-title" }, "Add or edit a method"),
    formError(),
    h(
      "div",
      { class: "row" },
      field({ label: "Method id", name: "methodId", required: true, hint: "e.g. nordics-standard" }),
      field({ label: "Zone", name: "zoneId", required: true, options: [] }),
      field({ label: "Method name", name: "methodName", required: true }),
    ),
    kindField,
    costRow,
    thresholdRow,
    bandsField,
    h(
      "div",
      { class: "row" },
      field({ label: "Position (optional)", name: "position", type: "number", attrs: { min: 0, max: 1000 } }),
      h(
        "div",
        { class: "radio" },
        h("input", { type: "checkbox", id: "f-active", name: "active", value: "yes", checked: true }),
        h("label", { for: "f-active" }, "Active: offered at checkout"),
      ),
    ),
    methodSubmit,
  );
  const showKind = () => {
    const kind = methodForm.querySelector("[name=kind]").value;
    for (const el of methodForm.querySelectorAll("[data-for-kind]"))
      el.hidden = !el.dataset.forKind.split(" ").includes(kind);
  };
  methodForm.querySelector("[name=kind]").addEventListener("change", showKind);
  onSubmit(methodForm, methodSubmit, async (v) => {
    const rate =
      v.kind === "weight"
        ? { kind: "weight", bands: parseBands(v.bands) }
        : v.kind === "free_above"
          ? { kind: "free_above", cost: amountFields(v, "rate.cost"), threshold: amountFields(v, "rate.threshold") }
          : { kind: "flat", cost: amountFields(v, "rate.cost") };
    const body = { zoneId: v.zoneId, name: v.methodName, rate, active: v.active === "yes" };
    if (v.position !== "" && v.position !== undefined) body.position = Number(v.position);
    let method;
    try {
      method = await api("PUT", `/shipping/methods/${encodeURIComponent(v.methodId)}`, { body });
    } catch (err) {
      throw forMethodForm(err);
    }
    const known = setup.methods.some((m) => m.id === method.id);
    setup.methods = known ? setup.methods.map((m) => (m.id === method.id ? method : m)) : [...setup.methods, method];
    draw();
    methodForm.reset();
    showKind();
    announce(`Method “${method.name}” ${known ? "saved" : "created"}.`);
  });

  function editZone(zone) {
    zoneIdInput().value = zone.id;
    zoneForm.querySelector("[name=name]").value = zone.name;
    zoneForm.querySelector("[name=countries]").value = zone.countries.join(", ");
    zoneIdInput().focus();
    announce(`Editing zone “${zone.name}” in the zone form.`);
  }
  function editMethod(m) {
    const set = (name, value) => {
      methodForm.querySelector(`[name="${name}"]`).value = value ?? "";
    };
    set("methodId", m.id);
    set("zoneId", m.zoneId);
    set("methodName", m.name);
    set("kind", m.rate.kind);
    for (const c of CURRENCIES) {
      set(`rate.cost.${c}`, majorOf(m.rate.cost?.[c], c));
      set(`rate.threshold.${c}`, majorOf(m.rate.threshold?.[c], c));
    }
    set("bands", bandsText(m.rate.bands));
    set("position", m.position);
    methodForm.querySelector("[name=active]").checked = m.active;
    showKind();
    methodForm.querySelector("[name=methodId]").focus();
    announce(`Editing method “${m.name}” in the method form.`);
  }

  function deleteButton(label, what, path, onGone) {
    const button = h("button", { type: "button", class: "btn btn-small btn-secondary", "aria-label": label }, "Delete");
    button.addEventListener("click", () => {
      if (!confirm(`Delete ${what}? This cannot be undone.`)) return;
      return busy(button, async () => {
        try {
          await api("DELETE", path);
          onGone();
          draw();
          announce(`${what[0].toUpperCase()}${what.slice(1)} deleted.`);
        } catch (err) {
          announce(err.message, "error");
        }
      });
    });
    return button;
  }

  function methodRow(m) {
    const rate = m.rate;
    return h(
      "tr",
      { "data-method-id": m.id },
      h("th", { scope: "row" }, m.name, " ", h("code", {}, m.id)),
      h("td", { class: "rate" }, rateText(rate)),
      h("td", {}, rate.kind === "free_above" ? amounts(rate.threshold) : "—"),
      h("td", {}, rate.kind === "weight" ? `${rate.bands.length} band${rate.bands.length === 1 ? "" : "s"}` : "—"),
      h("td", { class: "active" }, m.active ? "Active" : "Inactive"),
      h("td", {}, String(m.position)),
      h(
        "td",
        {},
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small btn-secondary",
            "aria-label": `Edit ${m.name}`,
            onclick: () => editMethod(m),
          },
          "Edit",
        ),
        " ",
        deleteButton(`Delete ${m.name}`, `method “${m.name}”`, `/shipping/methods/${encodeURIComponent(m.id)}`, () => {
          setup.methods = setup.methods.filter((x) => x.id !== m.id);
        }),
      ),
    );
  }

  function zoneSection(zone) {
    const methods = setup.methods
      .filter((m) => m.zoneId === zone.id)
      .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
    const headingId = `zone-${zone.id}`;
    return h(
      "section",
      { class: "card stack", "data-zone-id": zone.id, "aria-labelledby": headingId },
      h("h2", { id: headingId }, zone.name, " ", h("code", {}, zone.id)),
      h("p", { class: "countries" }, `Countries: ${zone.countries.join(", ")}`),
      h(
        "p",
        {},
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small btn-secondary",
            "aria-label": `Edit zone ${zone.name}`,
            onclick: () => editZone(zone),
          },
          "Edit zone",
        ),
        " ",
        deleteButton(
          `Delete zone ${zone.name}`,
          `zone “${zone.name}”`,
          `/shipping/zones/${encodeURIComponent(zone.id)}`,
          () => {
            setup.zones = setup.zones.filter((z) => z.id !== zone.id);
          },
        ),
      ),
      methods.length === 0
        ? h("p", { class: "muted" }, "No methods: addresses here cannot be shipped to yet.")
        : h(
            "div",
            { class: "table-scroll" },
            h(
              "table",
              { class: "admin-table" },
              h("caption", {}, `Methods of ${zone.name}`),
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ["Method", "Rate", "Free above", "Weight bands", "Status", "Position", "Action"].map((t) =>
                    h("th", { scope: "col" }, t),
                  ),
                ),
              ),
              h("tbody", {}, methods.map(methodRow)),
            ),
          ),
    );
  }

  function draw() {
    render(list, setup.zones.map(zoneSection));
    empty.hidden = setup.zones.length > 0;
    const select = methodZone();
    const chosen = select.value;
    render(
      select,
      setup.zones.map((z) => h("option", { value: z.id, selected: z.id === chosen }, `${z.name} (${z.id})`)),
    );
  }

  render(main, h("h1", {}, "Admin: shipping"), empty, list, zoneForm, methodForm);
  setup = await api("GET", "/shipping", { signal: ctx.signal });
  draw();
}
