import { api, itemsOf } from "../api.js";
import { announce, busy, h, money, render, when } from "../dom.js";
import { requireSession } from "../shell.js";
import { RETURN_REASONS, RETURN_STATUS_LABELS, returnStatus } from "./order-returns.js";

/** Staff: returns by status; approve or reject requested ones, receive approved ones (restock and refund). */
export async function adminReturnsView(main, ctx) {
  if (!requireSession({ admin: true })) return;
  const status = ctx.query.get("status") ?? "requested";
  const filter = h(
    "select",
    { id: "return-status-filter", name: "status" },
    h("option", { value: "all", selected: status === "all" }, "All"),
    Object.entries(RETURN_STATUS_LABELS).map(([v, label]) => h("option", { value: v, selected: v === status }, label)),
  );
  filter.addEventListener("change", () => {
    location.hash = `#/admin/returns?status=${encodeURIComponent(filter.value)}`;
  });
  const tbody = h("tbody");
  const empty = h("p", { hidden: true }, "No returns with this status.");
  render(
    main,
    h("h1", {}, "Admin: returns"),
    h(
      "div",
      { class: "field field-inline" },
      h("label", { for: "return-status-filter" }, "Show returns that are"),
      filter,
    ),
    empty,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "admin-table", id: "admin-returns" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Order", "Asked", "Items", "Reason", "Refund", "Status", "Action"].map((t) =>
              h("th", { scope: "col" }, t),
            ),
          ),
        ),
        tbody,
      ),
    ),
  );
  const params = new URLSearchParams({ limit: "100" });
  if (status !== "all") params.set("status", status);
  const page = await api("GET", `/returns?${params}`, { signal: ctx.signal });
  if (!ctx.isCurrent()) return;
  for (const r of itemsOf(page)) tbody.append(returnRow(r));
  empty.hidden = tbody.children.length > 0;
}

function returnRow(r) {
  const statusCell = h("td", {}, returnStatus(r.status));
  const refundCell = h("td", {}, r.refundAmount ? money(r.refundAmount) : "—");
  const actionCell = h("td", {});
  const update = (next) => {
    r = next;
    statusCell.replaceChildren(returnStatus(r.status));
    refundCell.replaceChildren(r.refundAmount ? money(r.refundAmount) : "—");
    actionCell.replaceChildren(...[actions(r, update)].flat());
  };
  actionCell.append(...[actions(r, update)].flat());
  return h(
    "tr",
    { "data-return-id": r.id },
    h(
      "th",
      { scope: "row" },
      h(
        "a",
        { href: `#/orders/${encodeURIComponent(r.orderId)}` },
        Number.isInteger(r.orderNumber) ? `#${r.orderNumber}` : h("code", {}, r.orderId),
      ),
    ),
    h("td", {}, when(r.requestedAt)),
    h("td", {}, r.lines.map((l) => `${l.quantity} × ${l.name}`).join(", ")),
    h("td", {}, RETURN_REASONS[r.reason] ?? r.reason, r.note ? h("span", { class: "muted" }, ` — ${r.note}`) : null),
    refundCell,
    statusCell,
    actionCell,
  );
}

function button(label, kind, run) {
  const b = h("button", { type: "button", class: `btn btn-small ${kind}` }, label);
  b.addEventListener("click", () => busy(b, run));
  return b;
}

function actions(r, update) {
  const act = (verb, body) => async () => {
    try {
      const next = await api("POST", `/returns/${encodeURIComponent(r.id)}/${verb}`, { body: body ?? {} });
      update(next);
      announce(`Return ${next.id}: ${RETURN_STATUS_LABELS[next.status] ?? next.status}.`, "success");
    } catch (err) {
      announce(`Return ${r.id}: ${err.message}`, "error");
    }
  };
  if (r.status === "requested") {
    const reject = button("Reject", "btn-danger", async () => {
      const reason = prompt("Why is this return not accepted? (the customer reads this)");
      if (reason?.trim()) await act("reject", { reason: reason.trim() })();
    });
    return [button("Approve", "btn-primary", act("approve")), " ", reject];
  }
  if (r.status === "approved") {
    const shippingId = `refund-shipping-${r.id}`;
    const shipping = h("input", { type: "checkbox", id: shippingId });
    return [
      button("Mark received and refund", "btn-primary", () => act("receive", { refundShipping: shipping.checked })()),
      " ",
      shipping,
      h("label", { for: shippingId }, " refund shipping too"),
    ];
  }
  return h("span", { class: "muted" }, r.rejection ?? "—");
}
