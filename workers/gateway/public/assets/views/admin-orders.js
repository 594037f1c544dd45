import { api, itemsOf } from "../api.js";
import { announce, busy, h, money, render, STATUS_LABELS, statusBadge, when } from "../dom.js";
import { requireSession } from "../shell.js";

/** How staff and customers name an order: `#10042`, or its id for an order without a number. */
function orderLabel(o) {
  return Number.isInteger(o.number) ? `#${o.number}` : o.id;
}

/** Staff: every order, filtered by status or found by number; ship paid orders, deliver shipped ones. */
export async function adminOrdersView(main, ctx) {
  if (!requireSession({ admin: true })) return;
  const status = ctx.query.get("status") ?? "paid";
  const number = ctx.query.get("number")?.trim() || null;
  const search = h("input", {
    id: "number-search",
    name: "number",
    type: "search",
    inputmode: "numeric",
    autocomplete: "off",
    placeholder: "#10042",
    pattern: "#?[0-9]+",
    value: number ?? "",
    class: "short",
  });
  const searchForm = h(
    "form",
    { class: "field field-inline", role: "search", id: "number-search-form" },
    h("label", { for: "number-search" }, "Find order number"),
    search,
    h("button", { type: "submit", class: "btn btn-small btn-secondary" }, "Find"),
    number ? h("a", { href: "#/admin/orders", class: "btn btn-small btn-link" }, "Show all") : null,
  );
  searchForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const typed = search.value.trim();
    location.hash = typed ? `#/admin/orders?number=${encodeURIComponent(typed)}` : "#/admin/orders";
  });
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
  const empty = h(
    "p",
    { hidden: true },
    number ? `No order with the number ${number}.` : "No orders with this status.",
  );
  render(
    main,
    h("h1", {}, "Admin: orders"),
    searchForm,
    // A number names one order whatever its status: the status filter stands aside meanwhile.
    h(
      "div",
      { class: "field field-inline", hidden: Boolean(number) },
      h("label", { for: "status-filter" }, "Show orders that are"),
      filter,
    ),
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
    // A number names one order whatever its status.
    if (number) params.set("number", number);
    else if (status !== "all") params.set("status", status);
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", `/orders?${params}`, { signal: ctx.signal });
    for (const o of itemsOf(page)) tbody.append(orderRow(o));
    cursor = page?.nextCursor ?? null;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
  };
  more.addEventListener("click", () => busy(more, () => load().catch((err) => announce(err.message, "error"))));
  await load().catch((err) => {
    // A number the API refuses (400) is the admin's typo: say so and keep the search box.
    if (!number || err.status !== 400) throw err;
    announce(err.message, "error");
    empty.hidden = false;
  });
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
    h(
      "th",
      { scope: "row" },
      h(
        "a",
        { href: `#/orders/${encodeURIComponent(o.id)}`, class: "order-number" },
        Number.isInteger(o.number) ? `#${o.number}` : h("code", {}, o.id),
      ),
    ),
    h("td", {}, when(o.createdAt)),
    h("td", { class: "customer" }, customer(o)),
    h("td", {}, money(o.total)),
    statusCell,
    actionCell,
  );
}

/** The customer's name and email when the listing carries them; otherwise their id. */
function customer(o) {
  const name = o.customer?.name ?? null;
  const email = o.customer?.email ?? null;
  if (!name && !email) return h("code", {}, o.userId ?? "");
  return [
    name ? h("span", { class: "customer-name" }, name) : null,
    name && email ? h("br") : null,
    email ? h("span", { class: "customer-email muted" }, email) : null,
  ];
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
        return announce(`Enter a carrier and a tracking number for order ${orderLabel(o)}.`, "error");
      return busy(ship, async () => {
        try {
          const next = await api("POST", `/orders/${encodeURIComponent(o.id)}/ship`, {
            body: { carrier: carrier.value.trim(), trackingNumber: tracking.value.trim() },
          });
          setStatus({ ...o, ...(next ?? {}), status: next?.status ?? "shipped" });
          announce(`Order ${orderLabel(o)} shipped with ${carrier.value.trim()} ${tracking.value.trim()}.`, "success");
        } catch (err) {
          announce(`Order ${orderLabel(o)}: ${err.message}`, "error");
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
          announce(`Order ${orderLabel(o)} marked delivered.`, "success");
        } catch (err) {
          announce(`Order ${orderLabel(o)}: ${err.message}`, "error");
        }
      }),
    );
    return deliver;
  }
  return h("span", { class: "muted" }, o.tracking ? `${o.tracking.carrier} ${o.tracking.trackingNumber}` : "—");
}
