import { api, itemsOf } from "../api.js";
import { announce, busy, h, money, render, when } from "../dom.js";

/** The reasons a customer may give (the API's ReturnReason), in their words. */
export const RETURN_REASONS = {
  damaged: "Arrived damaged",
  defective: "Does not work",
  wrong_item: "Wrong item sent",
  not_as_described: "Not as described",
  no_longer_needed: "No longer needed",
  other: "Other",
};

export const RETURN_STATUS_LABELS = {
  requested: "Requested",
  approved: "Approved — please send the items back",
  rejected: "Not accepted",
  received: "Received — refunding",
  refunded: "Refunded",
};

/** How long after delivery a return may be asked for (RETURN_WINDOW_DAYS in the contracts). */
const WINDOW_DAYS = 30;

export function returnStatus(status) {
  return h(
    "span",
    { class: `status return-status-${status}`, "data-status": status },
    RETURN_STATUS_LABELS[status] ?? status,
  );
}

/**
 * The order page's returns: what was asked for so far and, for a delivered order, a form to ask
 * for a return of some units. Loads on its own, so the order shows at once.
 */
export function orderReturns(order, ctx) {
  if (order.status !== "delivered") return null;
  const section = h(
    "section",
    { "aria-labelledby": "returns-heading", id: "returns" },
    h("h2", { id: "returns-heading" }, "Returns"),
    h("p", { class: "muted" }, "Loading returns…"),
  );
  const load = async () => {
    const returns = itemsOf(
      await api("GET", `/orders/${encodeURIComponent(order.id)}/returns`, { signal: ctx.signal }),
    );
    if (!ctx.isCurrent()) return;
    render(
      section,
      h("h2", { id: "returns-heading" }, "Returns"),
      returns.length ? returnList(returns) : null,
      withinWindow(order)
        ? requestForm(order, returns, load, ctx)
        : h("p", { class: "muted" }, `Returns are accepted for ${WINDOW_DAYS} days after delivery.`),
    );
  };
  load().catch((err) => ctx.isCurrent() && announce(`Could not load returns: ${err.message}`, "error"));
  return section;
}

function withinWindow(order) {
  const delivered = [...(order.timeline ?? [])].reverse().find((e) => e.type === "order.delivered");
  return !delivered || Date.now() - Date.parse(delivered.at) <= WINDOW_DAYS * 86_400_000;
}

function returnList(returns) {
  return h(
    "ul",
    { class: "returns", id: "return-list" },
    returns.map((r) =>
      h(
        "li",
        { "data-return-id": r.id },
        returnStatus(r.status),
        " ",
        r.lines.map((l) => `${l.quantity} × ${l.name}`).join(", "),
        " · asked ",
        when(r.requestedAt),
        r.refundAmount && r.status === "refunded" ? ` · refunded ${money(r.refundAmount)}` : "",
        r.rejection ? h("span", { class: "muted" }, ` · ${r.rejection}`) : null,
      ),
    ),
  );
}

function requestForm(order, returns, reload, ctx) {
  const taken = new Map();
  for (const r of returns.filter((x) => x.status !== "rejected"))
    for (const l of r.lines) taken.set(l.line, (taken.get(l.line) ?? 0) + l.quantity);
  const inputs = (order.lines ?? []).map((l, i) => {
    const left = l.quantity - (taken.get(i) ?? 0);
    const input = h("input", {
      id: `return-qty-${i}`,
      name: `line-${i}`,
      type: "number",
      min: "0",
      max: String(left),
      value: "0",
      class: "short",
      disabled: left <= 0,
    });
    return { i, left, input, label: h("label", { for: `return-qty-${i}` }, `${l.name} (up to ${left})`) };
  });
  if (inputs.every((x) => x.left <= 0)) return h("p", { class: "muted" }, "Every item of this order is in a return.");
  const reason = h(
    "select",
    { id: "return-reason", name: "reason", required: true },
    Object.entries(RETURN_REASONS).map(([v, label]) => h("option", { value: v }, label)),
  );
  const note = h("textarea", { id: "return-note", name: "note", maxlength: "500", rows: "2" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "request-return" }, "Request a return");
  // One key per form: a double click or a retry after a lost answer asks once.
  const key = crypto.randomUUID();
  const form = h(
    "form",
    { class: "return-form", id: "return-form" },
    h("h3", {}, "Request a return"),
    inputs.map((x) => h("div", { class: "field field-inline" }, x.label, x.input)),
    h("div", { class: "field" }, h("label", { for: "return-reason" }, "Reason"), reason),
    h("div", { class: "field" }, h("label", { for: "return-note" }, "Anything we should know? (optional)"), note),
    submit,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const lines = inputs
      .map((x) => ({ line: x.i, quantity: Number(x.input.value) || 0 }))
      .filter((l) => l.quantity > 0);
    if (!lines.length) return announce("Choose how many of which items to return.", "error");
    return busy(submit, async () => {
      try {
        await api("POST", `/orders/${encodeURIComponent(order.id)}/returns`, {
          headers: { "idempotency-key": key },
          body: { lines, reason: reason.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) },
        });
        announce("Your return was requested. We will email you once it is approved.", "success");
        await reload();
      } catch (err) {
        if (ctx.isCurrent()) announce(err.message, "error");
      }
    });
  });
  return form;
}
