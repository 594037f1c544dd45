// DOM helpers. Every piece of data reaches the page as a text node or an attribute value,
// never as markup, so product names, addresses and error messages cannot inject HTML.

/**
 * h("button", { type: "button", onclick }, "Add") → element.
 * Attributes starting with "on" become listeners; `true`/`false` toggle boolean attributes;
 * children are nodes or strings (strings become text nodes); null/false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `el`. */
export function render(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

const formatters = new Map();
/** Money from minor units: the currency's own exponent comes from Intl (JPY 0, EUR 2, …). */
export function money(m) {
  if (!m || typeof m.amount !== "number" || !m.currency) return "—";
  let fmt = formatters.get(m.currency);
  if (!fmt) {
    fmt = new Intl.NumberFormat(undefined, { style: "currency", currency: m.currency });
    formatters.set(m.currency, fmt);
  }
  const exponent = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(m.amount / 10 ** exponent);
}

/** The currency's exponent, to turn a typed price ("19.99") into minor units. */
export function exponentOf(currency) {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
export function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : dateFmt.format(d);
}

/** Human words for order states. */
export const STATUS_LABELS = {
  pending: "Pending",
  awaiting_payment: "Awaiting payment",
  paid: "Paid",
  shipped: "Shipped",
  delivered: "Delivered",
  rejected: "Rejected",
  payment_failed: "Payment failed",
  expired: "Expired",
  cancelled: "Cancelled",
  refunded: "Refunded",
};

export function statusBadge(status) {
  return h("span", { class: `status status-${status}`, "data-status": status }, STATUS_LABELS[status] ?? status);
}

/**
 * A polite announcement for screen readers and a visible flash line. `carry` keeps it across
 * the next navigation (for "please sign in" before redirecting).
 */
export function announce(message, kind = "info", { carry = false } = {}) {
  const flash = document.getElementById("flash");
  flash.dataset.kind = kind;
  flash.textContent = message;
  if (carry) flash.dataset.sticky = "1";
}

export function clearAnnouncement() {
  const flash = document.getElementById("flash");
  flash.textContent = "";
  delete flash.dataset.kind;
  delete flash.dataset.sticky;
}

/** A labelled form field; `errors` shows next to it with aria-describedby. */
export function field({ label, name, type = "text", value, required, autocomplete, hint, attrs = {}, options }) {
  const id = `f-${name.replace(/[^a-z0-9]+/gi, "-")}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ");
  const control = options
    ? h(
        "select",
        { id, name, required, "aria-describedby": describedBy, ...attrs },
        options.map((o) => h("option", { value: o.value, selected: String(o.value) === String(value ?? "") }, o.label)),
      )
    : h("input", { id, name, type, value, required, autocomplete, "aria-describedby": describedBy, ...attrs });
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    control,
    h("p", { class: "field-error", id: errorId, "data-error-for": name }),
  );
}

/**
 * Shows a problem+json next to the form: the detail in the form's alert box, each field
 * error under its field (paths like "shippingAddress.city" match name="shippingAddress.city"
 * or the last segment "city"). Focuses the first invalid field.
 */
export function showFormErrors(form, err) {
  clearFormErrors(form);
  const box = form.querySelector(".form-error");
  let first = null;
  const unmatched = [];
  for (const fe of err.fieldErrors ?? []) {
    const path = String(fe.path ?? "").replace(/^body\./, "");
    // "shippingAddress.city" → name="shippingAddress.city", else the closest segment ("city", then "shippingAddress").
    const candidates = [path, ...path.split(".").reverse()];
    const input = candidates.map((n) => n && form.querySelector(`[name="${CSS.escape(n)}"]`)).find(Boolean);
    if (!input) {
      unmatched.push(`${path}: ${fe.message}`);
      continue;
    }
    input.setAttribute("aria-invalid", "true");
    const slot = form.querySelector(`[data-error-for="${CSS.escape(input.name)}"]`);
    if (slot) slot.textContent = fe.message;
    first ??= input;
  }
  if (box) {
    box.textContent = [err.message, ...unmatched].filter(Boolean).join(" ");
    box.hidden = false;
  }
  (first ?? box)?.focus();
}

export function clearFormErrors(form) {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
  const box = form.querySelector(".form-error");
  if (box) {
    box.textContent = "";
    box.hidden = true;
  }
}

/** The alert box a form uses for its overall error. */
export function formError() {
  return h("div", { class: "form-error", role: "alert", tabindex: "-1", hidden: true });
}

/** Disables a form's submit button while `work` runs. */
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

export function formValues(form) {
  const out = {};
  for (const [k, v] of new FormData(form)) out[k] = typeof v === "string" ? v.trim() : v;
  return out;
}

/**
 * Handles a form's submit: clears its old errors and reads its values; shows the problem
 * `check(values)` finds (`{ message, fieldErrors }`), if any; else runs `send(values)` with the
 * submit button busy and shows the problem it throws under the form's fields.
 */
export function onSubmit(form, submit, send, check = () => null) {
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const values = formValues(form);
    const problem = check(values);
    if (problem) return showFormErrors(form, problem);
    return busy(submit, async () => {
      try {
        await send(values);
      } catch (err) {
        showFormErrors(form, err);
      }
    });
  });
}
