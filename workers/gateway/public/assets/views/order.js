import { addToCart, api } from "../api.js";
import { announce, busy, h, money, render, STATUS_LABELS, statusBadge, when } from "../dom.js";
import { navigate, refreshCartBadge, requireSession, setTitle } from "../shell.js";
import { orderReturns } from "./order-returns.js";

const SETTLING = new Set(["pending", "awaiting_payment"]);
const POLL_MS = 1000;
const POLL_LIMIT_MS = 90_000;

/** Under a line's product name: the variant ("M / Blue") and its SKU; nothing when neither is known. */
export function variantDetails(line) {
  const parts = [line.variantLabel, line.sku ? `SKU ${line.sku}` : ""].filter(Boolean);
  return parts.length ? h("p", { class: "muted line-variant" }, parts.join(" · ")) : null;
}

/** How people name an order: its number (`Order #10042`), or its id for an order without one. */
export function orderName(order) {
  return Number.isInteger(order?.number) ? `Order #${order.number}` : "Order";
}

/** Order page and confirmation: polls while the payment is being decided. */
export async function orderView(main, ctx) {
  if (!requireSession()) return;
  const [id] = ctx.params;
  const placed = ctx.query.get("placed") === "1";
  const body = h("div", { id: "order-body" });
  const live = h("p", { class: "order-live", role: "status", "aria-live": "polite" });
  const heading = h("h1", {}, "Order");
  render(
    main,
    h("p", { class: "crumbs" }, h("a", { href: "#/orders" }, "← My orders")),
    heading,
    placed ? h("p", { class: "order-thanks" }, "Thank you for your order!") : null,
    live,
    body,
  );

  let order = await api("GET", `/orders/${encodeURIComponent(id)}`, { signal: ctx.signal });
  if (!ctx.isCurrent()) return;
  heading.textContent = orderName(order);
  setTitle(orderName(order));
  show(body, order, ctx);
  live.textContent = statusSentence(order);
  const started = Date.now();
  while (SETTLING.has(order.status) && ctx.isCurrent()) {
    if (Date.now() - started > POLL_LIMIT_MS) {
      live.textContent = "The payment is taking longer than usual. This page will show the result when you reload it.";
      return;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (!ctx.isCurrent()) return;
    const next = await api("GET", `/orders/${encodeURIComponent(id)}`, { signal: ctx.signal });
    if (next.status !== order.status || next.updatedAt !== order.updatedAt) {
      order = next;
      show(body, order, ctx);
      live.textContent = statusSentence(order);
    }
  }
}

function statusSentence(order) {
  switch (order.status) {
    case "pending":
    case "awaiting_payment":
      return order.payment?.status === "requires_action"
        ? "Your bank asks you to confirm the payment."
        : "Waiting for the payment result…";
    case "paid":
      return "Payment received. Your order is confirmed.";
    case "payment_failed":
      return "The payment did not go through.";
    default:
      return `Order status: ${STATUS_LABELS[order.status] ?? order.status}.`;
  }
}

function show(body, order, ctx) {
  const failure = order.payment?.failureMessage ?? order.reason;
  const canCancel = ["awaiting_payment", "paid"].includes(order.status);
  render(
    body,
    h(
      "div",
      { class: "order-head" },
      h("p", {}, "Placed ", when(order.createdAt)),
      h("p", { class: "order-ref muted" }, "Reference: ", h("code", { class: "order-id" }, order.id)),
      h("p", { class: "order-status" }, "Status: ", statusBadge(order.status)),
    ),
    order.status === "payment_failed" ? declined(order, failure) : null,
    order.payment?.nextAction ? authenticate(order.payment.nextAction) : null,
    order.status === "rejected"
      ? h(
          "div",
          { class: "notice notice-error", role: "alert" },
          "This order could not be placed: ",
          order.reason ?? "some items were out of stock.",
        )
      : null,
    order.tracking ? tracking(order.tracking) : null,
    h(
      "section",
      { "aria-labelledby": "items-heading" },
      h("h2", { id: "items-heading" }, "Items"),
      h(
        "table",
        { class: "lines" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Product"),
            h("th", { scope: "col" }, "Qty"),
            h("th", { scope: "col" }, "Price"),
            h("th", { scope: "col" }, "Total"),
          ),
        ),
        h(
          "tbody",
          {},
          (order.lines ?? []).map((l) =>
            h(
              "tr",
              {},
              h("td", {}, l.name, variantDetails(l)),
              h("td", {}, String(l.quantity)),
              h("td", {}, money(l.unitPrice)),
              h("td", {}, money(l.lineTotal)),
            ),
          ),
        ),
        h(
          "tfoot",
          {},
          breakdownRows(order),
          h(
            "tr",
            {},
            h("th", { scope: "row", colspan: 3 }, "Order total"),
            h("td", {}, h("strong", {}, money(order.total))),
          ),
        ),
      ),
    ),
    order.shippingAddress ? address(order.shippingAddress) : null,
    h(
      "section",
      { "aria-labelledby": "payment-heading" },
      h("h2", { id: "payment-heading" }, "Payment"),
      h(
        "p",
        {},
        "Payment status: ",
        order.payment?.status ?? "—",
        order.payment?.amountRefunded
          ? ` · refunded ${money({ amount: order.payment.amountRefunded, currency: order.currency })}`
          : "",
      ),
    ),
    timeline(order.timeline ?? []),
    canCancel ? cancelButton(order, ctx) : null,
    // Returns (their own module): the list and, for a delivered order, the request form.
    orderReturns(order, ctx),
  );
}

/** 3-D Secure: the bank wants the shopper to confirm; the page brings them back here. */
function authenticate(action) {
  return h(
    "div",
    { class: "notice notice-info", role: "alert", id: "payment-action" },
    h("h2", {}, "Confirm the payment with your bank"),
    h("p", {}, "Your bank asks you to confirm this payment before it goes through."),
    h("a", { class: "btn btn-primary", href: action.url, id: "authenticate-payment" }, "Confirm with your bank"),
  );
}

function declined(order, failure) {
  const retry = h("button", { type: "button", class: "btn btn-primary" }, "Try another card");
  retry.addEventListener("click", () =>
    busy(retry, async () => {
      // The failed order emptied the cart; put its items back so the shopper can pay again.
      try {
        for (const l of order.lines ?? []) await addToCart(l.productId, l.quantity, l.variantId);
        await refreshCartBadge();
        announce("Your items are back in your cart. Choose another card.", "info", { carry: true });
        navigate("#/checkout");
      } catch (err) {
        announce(`Could not restore your cart: ${err.message}`, "error");
      }
    }),
  );
  return h(
    "div",
    { class: "notice notice-error", role: "alert", id: "payment-failed" },
    h("h2", {}, "Payment declined"),
    h("p", {}, failure ?? "Your card was declined."),
    h(
      "p",
      {},
      "Nothing was charged, and the items you ordered were released back to stock. You can try again with another card.",
    ),
    retry,
  );
}

function tracking(t) {
  return h(
    "section",
    { class: "notice notice-success", "aria-labelledby": "tracking-heading", id: "tracking" },
    h("h2", { id: "tracking-heading" }, "Shipment"),
    h(
      "dl",
      { class: "pairs" },
      h("dt", {}, "Carrier"),
      h("dd", {}, t.carrier),
      h("dt", {}, "Tracking number"),
      h("dd", { class: "tracking-number" }, t.trackingNumber),
      t.shippedAt ? [h("dt", {}, "Shipped"), h("dd", {}, when(t.shippedAt))] : null,
    ),
  );
}

function address(a) {
  return h(
    "section",
    { "aria-labelledby": "address-heading" },
    h("h2", { id: "address-heading" }, "Shipping to"),
    h(
      "address",
      {},
      [a.name, a.line1, a.line2, `${a.postalCode} ${a.city}`, a.region, a.country]
        .filter(Boolean)
        .flatMap((line, i) => (i ? [h("br"), line] : [line])),
    ),
  );
}

function timeline(events) {
  if (!events.length) return null;
  return h(
    "section",
    { "aria-labelledby": "timeline-heading" },
    h("h2", { id: "timeline-heading" }, "Timeline"),
    h(
      "ol",
      { class: "timeline" },
      events.map((e) =>
        h(
          "li",
          { "data-status": e.status },
          h("time", { datetime: e.at }, when(e.at)),
          " ",
          statusBadge(e.status),
          " ",
          h("span", { class: "muted" }, eventText(e)),
        ),
      ),
    ),
  );
}

function eventText(e) {
  const d = e.detail ?? {};
  if (d.carrier && d.trackingNumber) return `${d.carrier} ${d.trackingNumber}`;
  if (typeof d.reason === "string") return d.reason;
  if (typeof d.failureMessage === "string") return d.failureMessage;
  return String(e.type ?? "").replaceAll(/[._]/g, " ");
}

function cancelButton(order, ctx) {
  const button = h("button", { type: "button", class: "btn btn-danger" }, "Cancel order");
  button.addEventListener("click", () => {
    if (!confirm("Cancel this order? If it was paid, the money is refunded.")) return;
    busy(button, async () => {
      try {
        await api("POST", `/orders/${encodeURIComponent(order.id)}/cancel`, { body: {} });
        announce("Your order was cancelled.", "success", { carry: true });
        navigate(`#/orders/${encodeURIComponent(order.id)}`);
      } catch (err) {
        if (ctx.isCurrent()) announce(err.message, "error");
      }
    });
  });
  return h("p", { class: "actions" }, button);
}

/**
 * What the order charged besides its lines (ADR 0035): subtotal, each discount, delivery and tax,
 * as the server priced it. An order placed without a breakdown (before checkout pricing) has none.
 */
function breakdownRows(order) {
  const b = order.breakdown;
  if (!b) return [];
  const m = (amount) => money({ amount, currency: b.currency });
  const row = (label, value, part) =>
    h("tr", { "data-part": part }, h("th", { scope: "row", colspan: 3 }, label), h("td", {}, value));
  const inclusive = b.taxAdded === 0 && b.taxTotal > 0;
  return [
    row("Subtotal", m(b.subtotal), "subtotal"),
    ...b.discounts.map((d) => row(d.code ? `Discount (${d.code})` : "Discount", `−${m(d.amount)}`, "discount")),
    row(`Delivery (${b.shipping.name})`, b.shipping.cost === 0 ? "Free" : m(b.shipping.cost), "shipping"),
    inclusive ? row("Includes tax", m(b.taxTotal), "tax") : row("Tax", m(b.taxAdded), "tax"),
  ];
}
