import { api, itemsOf } from "../api.js";
import { announce, busy, h, money, render, statusBadge, when } from "../dom.js";
import { requireSession } from "../shell.js";

/** My orders: newest first, status and tracking at a glance, "load more" paging. */
export async function ordersView(main, ctx) {
  if (!requireSession()) return;
  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "btn btn-secondary", hidden: true }, "Load more orders");
  const empty = h(
    "p",
    { hidden: true },
    "You have no orders yet. ",
    h("a", { href: "#/products" }, "Start shopping"),
    ".",
  );
  const table = h(
    "table",
    { class: "orders", id: "orders-table" },
    h("caption", { class: "visually-hidden" }, "Your orders, newest first"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Order", "Placed", "Items", "Total", "Status", "Tracking"].map((t) => h("th", { scope: "col" }, t)),
      ),
    ),
    tbody,
  );
  render(
    main,
    h("h1", {}, "My orders"),
    empty,
    h("div", { class: "table-scroll" }, table),
    h("div", { class: "more" }, more),
  );

  let cursor = null;
  const load = async () => {
    const params = new URLSearchParams({ limit: "20" });
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", `/orders?${params}`, { signal: ctx.signal });
    for (const o of itemsOf(page)) tbody.append(row(o));
    cursor = page?.nextCursor ?? null;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
    table.hidden = tbody.children.length === 0;
  };
  more.addEventListener("click", () => busy(more, () => load().catch((err) => announce(err.message, "error"))));
  await load();
}

function row(o) {
  // data-label: on narrow screens each row becomes a small card with labelled values.
  return h(
    "tr",
    { "data-order-id": o.id },
    h(
      "th",
      { scope: "row", "data-label": "Order" },
      h(
        "a",
        { href: `#/orders/${encodeURIComponent(o.id)}`, class: "order-number" },
        Number.isInteger(o.number) ? `#${o.number}` : h("code", {}, o.id),
      ),
    ),
    h("td", { "data-label": "Placed" }, when(o.createdAt)),
    h("td", { "data-label": "Items" }, String(o.itemCount ?? o.lines?.length ?? "")),
    h("td", { "data-label": "Total" }, money(o.total)),
    h("td", { "data-label": "Status" }, statusBadge(o.status)),
    h("td", { "data-label": "Tracking" }, o.tracking ? `${o.tracking.carrier} ${o.tracking.trackingNumber}` : "—"),
  );
}
