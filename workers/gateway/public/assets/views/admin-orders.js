import { api, itemsOf } from "../api.js";
import { announce, busy, h, money, render, STATUS_LABELS, statusBadge, when } from "../dom.js";
import { requireSession } from "../shell.js";

/** Staff: every order, filtered by status; ship paid orders, deliver shipped ones. */
export async function adminOrdersView(main, ctx) {
  if (!requireSession({ admin: true })) return;
  const status = ctx.query.get("status") ?? "paid";
  const filter = h(
    "select",
    { id: "status-filter", name: "status" },
    h("option", { value: "all", selected: status === "all" }, "All"),
    Object.entries(STATUS_LABELS).map(([v, label]) => h("option", { value: v, selected: v === status }, label)),
  );
  filter.addEventListener("change", () => {
    location.hash = `#/admin/orders?status=${encodeURIComponent(filter.value)}`;
  });
  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "btn btn-secondary", hidden: true }, "Load more");
  const empty = h("p", { hidden: true }, "No orders with this status.");
  render(
    main,
    h("h1", {}, "Orders"),
    h("div", { class: "field field-inline" }, h("label", { for: "status-filter" }, "Show orders that are"), filter),
    empty,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "admin-table", id: "admin-orders" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Order", "Placed", "Customer", "Total", "Status", "Action"].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        tbody,
      ),
    ),
    h("div", { class: "more" }, more),
  );

  let cursor = null;
  const load = async () => {
    const params = new URLSearchParams({ limit: "20" });
    if (status !== "all") params.set("status", status);
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", `/orders?${params}`, { signal: ctx.signal });
    for (const o of itemsOf(page)) tbody.append(orderRow(o));
    cursor = page?.nextCursor ?? null;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
  };
  more.addEventListener("click", () => busy(more, () => load().catch((err) => announce(err.message, "error"))));
  await load();
}

function orderRow(o) {
  const statusCell = h("td", {}, statusBadge(o.status));
  const actionCell = h("td", {});
  const setStatus = (next) => {
    o = next;
    statusCell.replaceChildren(statusBadge(o.status));
    actionCell.replaceChildren(actions(o, setStatus));
  };
  actionCell.append(actions(o, setStatus));
  return h(
    "tr",
    { "data-order-id": o.id },
    h("th", { scope: "row" }, h("a", { href: `#/orders/${encodeURIComponent(o.id)}` }, h("code", {}, o.id))),
    h("td", {}, when(o.createdAt)),
    h("td", {}, h("code", {}, o.userId ?? "")),
    h("td", {}, money(o.total)),
    statusCell,
    actionCell,
  );
}

function actions(o, setStatus) {
  if (o.status === "paid") {
    const carrierId = `carrier-${o.id}`;
    const trackingId = `tracking-${o.id}`;
    const carrier = h("input", { id: carrierId, name: "carrier", value: "DHL", required: true, class: "short" });
    const tracking = h("input", { id: trackingId, name: "trackingNumber", required: true, class: "short" });
    const ship = h("button", { type: "submit", class: "btn btn-small btn-primary" }, "Ship");
    const form = h(
      "form",
      { class: "inline ship-form" },
      h("label", { for: carrierId }, "Carrier"),
      carrier,
      h("label", { for: trackingId }, "Tracking no."),
      tracking,
      ship,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!carrier.value.trim() || !tracking.value.trim())
        return announce(`Enter a carrier and a tracking number for order ${o.id}.`, "error");
      return busy(ship, async () => {
        try {
          const next = await api("POST", `/orders/${encodeURIComponent(o.id)}/ship`, {
            body: { carrier: carrier.value.trim(), trackingNumber: tracking.value.trim() },
          });
          setStatus({ ...o, ...(next ?? {}), status: next?.status ?? "shipped" });
          announce(`Order ${o.id} shipped with ${carrier.value.trim()} ${tracking.value.trim()}.`, "success");
        } catch (err) {
          announce(`Order ${o.id}: ${err.message}`, "error");
        }
      });
    });
    return form;
  }
  if (o.status === "shipped") {
    const deliver = h("button", { type: "button", class: "btn btn-small btn-primary" }, "Mark delivered");
    deliver.addEventListener("click", () =>
      busy(deliver, async () => {
        try {
          const next = await api("POST", `/orders/${encodeURIComponent(o.id)}/deliver`, { body: {} });
          setStatus({ ...o, ...(next ?? {}), status: next?.status ?? "delivered" });
          announce(`Order ${o.id} marked delivered.`, "success");
        } catch (err) {
          announce(`Order ${o.id}: ${err.message}`, "error");
        }
      }),
    );
    return deliver;
  }
  return h("span", { class: "muted" }, o.tracking ? `${o.tracking.carrier} ${o.tracking.trackingNumber}` : "—");
}
