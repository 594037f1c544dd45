import { api } from "../api.js";
import { addressLine, COUNTRIES } from "../countries.js";
import { announce, field, formError, h, onSubmit, render } from "../dom.js";
import { pageError, requireSession } from "../shell.js";

const EMPTY = { name: "", line1: "", line2: "", city: "", region: "", postalCode: "", country: "DE", phone: "" };

/**
 * The address book: saved addresses (the default shipping address first, marked), each with
 * Edit, "Make default" and Delete, and one form that adds a new address or edits the chosen one.
 * The server checks postal codes per country; its field errors show under the fields.
 */
export async function addressesView(main, ctx) {
  const session = requireSession();
  if (!session) return;
  let items;
  try {
    items = (await api("GET", "/users/me/addresses", { signal: ctx.signal })).items;
  } catch (err) {
    return pageError(main, err);
  }
  if (!ctx.isCurrent()) return;
  const reload = (message) => {
    if (message) announce(message, "success");
    return addressesView(main, ctx);
  };
  const editing = items.find((a) => a.id === ctx.query.get("edit"));

  const list = items.length
    ? h(
        "ul",
        { class: "plain address-list", "aria-label": "Saved addresses" },
        items.map((a) =>
          h(
            "li",
            { class: "address", "data-address-id": a.id },
            h(
              "p",
              { class: "address-text" },
              addressLine(a),
              a.phone ? h("span", { class: "muted" }, ` · ${a.phone}`) : null,
            ),
            a.isDefaultShipping
              ? h("p", { class: "badge-default" }, h("strong", {}, "Default shipping address"))
              : null,
            h(
              "div",
              { class: "address-actions" },
              h(
                "a",
                { class: "btn btn-secondary btn-small", href: `#/addresses?edit=${encodeURIComponent(a.id)}` },
                "Edit",
                h("span", { class: "visually-hidden" }, ` ${a.line1}`),
              ),
              a.isDefaultShipping
                ? null
                : h(
                    "button",
                    {
                      type: "button",
                      class: "btn btn-secondary btn-small",
                      onclick: (e) =>
                        act(
                          e.currentTarget,
                          () => api("PATCH", `/users/me/addresses/${a.id}`, { body: { isDefaultShipping: true } }),
                          "Default shipping address changed.",
                        ),
                    },
                    "Make default",
                    h("span", { class: "visually-hidden" }, ` ${a.line1}`),
                  ),
              h(
                "button",
                {
                  type: "button",
                  class: "btn btn-danger btn-small",
                  onclick: (e) =>
                    act(e.currentTarget, () => api("DELETE", `/users/me/addresses/${a.id}`), "Address deleted."),
                },
                "Delete",
                h("span", { class: "visually-hidden" }, ` ${a.line1}`),
              ),
            ),
          ),
        ),
      )
    : h("p", {}, "You have no saved addresses yet.");

  async function act(button, work, message) {
    button.disabled = true;
    try {
      await work();
      await reload(message);
    } catch (err) {
      button.disabled = false;
      if (err.code === "session_expired") return pageError(main, err);
      announce(err.message, "error");
    }
  }

  const form = addressForm(editing, items.length === 0, () => reload(editing ? "Address saved." : "Address added."));
  render(
    main,
    h("h1", {}, "Addresses"),
    list,
    h("h2", { id: "address-form-heading" }, editing ? "Edit address" : "Add an address"),
    form,
  );
}

function addressForm(editing, first, done) {
  const a = editing ?? EMPTY;
  // One key per form: a retried "Add" (network error, timeout) cannot save the address twice.
  const key = crypto.randomUUID();
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, editing ? "Save address" : "Add address");
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true, "aria-labelledby": "address-form-heading" },
    formError(),
    field({ label: "Full name", name: "name", required: true, autocomplete: "name", value: a.name }),
    field({ label: "Address line 1", name: "line1", required: true, autocomplete: "address-line1", value: a.line1 }),
    field({ label: "Address line 2 (optional)", name: "line2", autocomplete: "address-line2", value: a.line2 ?? "" }),
    h(
      "div",
      { class: "row" },
      field({
        label: "Postal code",
        name: "postalCode",
        required: true,
        autocomplete: "postal-code",
        value: a.postalCode,
      }),
      field({ label: "City", name: "city", required: true, autocomplete: "address-level2", value: a.city }),
    ),
    field({
      label: "State, province or region",
      name: "region",
      autocomplete: "address-level1",
      value: a.region ?? "",
      hint: "Required for the United States and Canada: the two-letter code, e.g. CA or ON.",
    }),
    field({
      label: "Country",
      name: "country",
      required: true,
      value: a.country,
      options: COUNTRIES.map(([value, label]) => ({ value, label })),
      attrs: { autocomplete: "country" },
    }),
    field({
      label: "Phone (optional)",
      name: "phone",
      type: "tel",
      autocomplete: "tel",
      value: a.phone ?? "",
      hint: "International format, e.g. +4930123456.",
    }),
    h(
      "div",
      { class: "checkbox" },
      h("input", {
        type: "checkbox",
        id: "f-isDefaultShipping",
        name: "isDefaultShipping",
        checked: editing ? editing.isDefaultShipping : first,
      }),
      h("label", { for: "f-isDefaultShipping" }, "Use as my default shipping address"),
    ),
    h(
      "div",
      { class: "row" },
      submit,
      editing ? h("a", { class: "btn btn-secondary", href: "#/addresses" }, "Cancel") : null,
    ),
  );
  onSubmit(
    form,
    submit,
    async (v) => {
      const body = {
        name: v.name,
        line1: v.line1,
        city: v.city,
        postalCode: v.postalCode,
        country: v.country,
        isDefaultShipping: v.isDefaultShipping === "on",
      };
      if (editing) {
        Object.assign(body, { line2: v.line2 || null, region: v.region || null, phone: v.phone || null });
        await api("PATCH", `/users/me/addresses/${editing.id}`, { body });
      } else {
        if (v.line2) body.line2 = v.line2;
        if (v.region) body.region = v.region;
        if (v.phone) body.phone = v.phone;
        await api("POST", "/users/me/addresses", { body, headers: { "idempotency-key": key } });
      }
      if (editing) location.hash = "#/addresses";
      else await done();
    },
    (v) => {
      const missing = ["name", "line1", "postalCode", "city"]
        .filter((k) => !v[k])
        .map((k) => ({ path: k, message: "This field is required." }));
      return missing.length > 0 && { message: "Please complete the address.", fieldErrors: missing };
    },
  );
  return form;
}
