import { api } from "../api.js";
import { addressLine, COUNTRIES } from "../countries.js";
import { announce, field, formError, h, money, onSubmit, render, showFormErrors } from "../dom.js";
import { navigate, pageError, refreshCartBadge, requireSession } from "../shell.js";
import { lineProblem } from "./cart.js";

/** Stripe's test payment methods (simulated locally): what each one does is part of its label. */
export const CARDS = [
  ["pm_card_visa", "Visa •••• 4242", "payment succeeds"],
  ["pm_card_authenticationRequired", "Visa •••• 3184", "asks your bank to confirm (3-D Secure)"],
  ["pm_usBankAccount_success", "Bank account •••• 6789", "direct debit, settles in a moment"],
  ["pm_card_chargeDeclined", "Visa •••• 0002", "card is declined"],
  ["pm_card_chargeDeclinedInsufficientFunds", "Visa •••• 9995", "declined: insufficient funds"],
];

const KEY_STORE = "shop.checkoutAttempt";

/**
 * One Idempotency-Key per checkout attempt: a retry of the same body (after a network error
 * or a timeout) reuses it, so the order is placed at most once; a changed body is a new attempt.
 */
function attemptKey(body) {
  const fingerprint = JSON.stringify(body);
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY_STORE) ?? "null");
    if (saved?.fingerprint === fingerprint) return saved.key;
  } catch {}
  const key = crypto.randomUUID();
  sessionStorage.setItem(KEY_STORE, JSON.stringify({ key, fingerprint }));
  return key;
}
const endAttempt = () => sessionStorage.removeItem(KEY_STORE);

export async function checkoutView(main, ctx) {
  const session = requireSession();
  if (!session) return;
  // The address book is a convenience: without it (an error, none saved) the form is as before.
  const savedAddresses = api("GET", "/users/me/addresses", { signal: ctx.signal })
    .then((r) => r.items ?? [])
    .catch(() => []);
  const cart = await api("GET", "/cart", { signal: ctx.signal });
  if (!ctx.isCurrent()) return;
  await refreshCartBadge(cart);
  if (!cart?.lines?.length) {
    render(
      main,
      h("h1", {}, "Checkout"),
      h("p", {}, "Your cart is empty."),
      h("p", {}, h("a", { class: "btn", href: "#/products" }, "Browse the catalog")),
    );
    return;
  }
  const saved = await savedAddresses;
  if (!ctx.isCurrent()) return;
  const preselect = ctx.query.get("card") ?? "pm_card_visa";
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, `Place order · ${money(cart.total)}`);
  const shippingBox = h("div", { class: "stack", id: "shipping-options" }, h("p", { class: "muted" }, "Loading…"));
  const summary = h("aside", { class: "summary-box", "aria-labelledby": "summary-heading", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "stack", novalidate: true, "aria-labelledby": "checkout-heading" },
    formError(),
    h(
      "fieldset",
      {},
      h("legend", {}, "Shipping address"),
      savedAddressPicker(saved),
      field({
        label: "Full name",
        name: "name",
        required: true,
        autocomplete: "name",
        value: session.user?.name ?? "",
      }),
      field({ label: "Address line 1", name: "line1", required: true, autocomplete: "address-line1" }),
      field({ label: "Address line 2 (optional)", name: "line2", autocomplete: "address-line2" }),
      h(
        "div",
        { class: "row" },
        field({ label: "Postal code", name: "postalCode", required: true, autocomplete: "postal-code" }),
        field({ label: "City", name: "city", required: true, autocomplete: "address-level2" }),
      ),
      field({
        label: "Country",
        name: "country",
        required: true,
        value: "DE",
        options: COUNTRIES.map(([value, label]) => ({ value, label })),
        attrs: { autocomplete: "country" },
      }),
      field({
        label: "State or region",
        name: "region",
        autocomplete: "address-level1",
        hint: "US addresses: the state code, e.g. NY (it decides the sales tax).",
      }),
    ),
    h(
      "fieldset",
      { class: "shipping-methods" },
      h("legend", {}, "Delivery"),
      shippingBox,
      h("p", { class: "field-error", "data-error-for": "shippingMethodId" }),
    ),
    promoField(),
    h(
      "fieldset",
      { class: "cards" },
      h("legend", {}, "Payment card (simulated — no real money moves)"),
      CARDS.map(([id, label, effect]) =>
        h(
          "div",
          { class: "radio" },
          h("input", { type: "radio", id: `card-${id}`, name: "paymentMethod", value: id, checked: id === preselect }),
          h("label", { for: `card-${id}` }, label, h("span", { class: "muted" }, ` — ${effect}`)),
        ),
      ),
      h("p", { class: "field-error", "data-error-for": "paymentMethod" }),
    ),
    submit,
  );

  onSubmit(
    form,
    submit,
    (v) => {
      const shippingAddress = {
        name: v.name,
        line1: v.line1,
        city: v.city,
        postalCode: v.postalCode,
        country: v.country,
      };
      if (v.line2) shippingAddress.line2 = v.line2;
      if (v.region) shippingAddress.region = v.region;
      // What the shopper chose on the quote and the total they saw: the server prices the order
      // again and refuses it (409 price_changed) rather than charge another total.
      const priced = form.dataset;
      const body = {
        shippingAddress,
        paymentMethod: v.paymentMethod,
        ...(priced.shippingMethodId ? { shippingMethodId: priced.shippingMethodId } : {}),
        ...(priced.promoCode ? { promoCode: priced.promoCode } : {}),
        ...(priced.displayedTotal ? { displayedTotal: Number(priced.displayedTotal) } : {}),
      };
      return placeOrder(main, form, body, cart);
    },
    (v) => {
      const missing = ["name", "line1", "postalCode", "city"]
        .filter((k) => !v[k])
        .map((k) => ({ path: k, message: "This field is required." }));
      if (missing.length > 0) return { message: "Please complete the shipping address.", fieldErrors: missing };
      // No priced total yet (the first quote is on its way, or the address cannot be served):
      // the order is placed only at a total the shopper has seen.
      return !form.dataset.displayedTotal && { message: "The total is not worked out yet for this address." };
    },
  );

  const chosen = saved.find((a) => a.isDefaultShipping);
  if (chosen) fillAddress(form, chosen);
  render(summary, ...orderSummary(cart));
  render(main, h("h1", { id: "checkout-heading" }, "Checkout"), h("div", { class: "checkout" }, form, summary));
  wireQuote(form, { cart, summary, shippingBox, submit, signal: ctx.signal });
}

/** The promo code: applied with its button (or Enter), removed with "Remove". */
function promoField() {
  return h(
    "div",
    { class: "field" },
    h("label", { for: "f-promoCode" }, "Promo code"),
    h(
      "div",
      { class: "row" },
      h("input", {
        id: "f-promoCode",
        name: "promoCode",
        autocomplete: "off",
        "aria-describedby": "f-promoCode-error",
      }),
      h("button", { type: "button", class: "btn btn-secondary", id: "apply-promo" }, "Apply"),
    ),
    h("p", { class: "field-error", id: "f-promoCode-error", "data-error-for": "promoCode" }),
  );
}

/**
 * The price of the checkout as the server computes it (`POST /checkout/quote`): asked again
 * whenever the country, the region, the delivery method or the code changes; only the newest
 * answer is shown. The order is placed with the chosen method, the code and the total shown
 * (kept on the form's dataset); the server prices it again and answers 409 `price_changed` with
 * the new breakdown when the total moved, which is shown here for the shopper to confirm.
 */
function wireQuote(form, { cart, summary, shippingBox, submit, signal }) {
  const state = { promoCode: null, methodId: null, seq: 0 };
  const promoInput = form.elements.namedItem("promoCode");
  const promoError = form.querySelector('[data-error-for="promoCode"]');
  const methodError = form.querySelector('[data-error-for="shippingMethodId"]');

  async function requote() {
    const seq = ++state.seq;
    const v = { country: form.elements.namedItem("country").value, region: form.elements.namedItem("region").value };
    const address = { country: v.country, ...(v.region.trim() ? { region: v.region.trim().toUpperCase() } : {}) };
    const body = {
      address,
      ...(state.methodId ? { shippingMethodId: state.methodId } : {}),
      ...(state.promoCode ? { promoCode: state.promoCode } : {}),
    };
    try {
      const quote = await api("POST", "/checkout/quote", { body, signal });
      if (seq !== state.seq) return;
      submit.disabled = false;
      methodError.textContent = "";
      showShipping(quote);
      render(summary, ...breakdownSummary(cart, quote));
      showTotal(quote);
      form.dataset.pricingToken = quote.pricingToken;
      form.dataset.shippingMethodId = quote.breakdown.shipping.methodId;
      if (state.promoCode) form.dataset.promoCode = state.promoCode;
      else delete form.dataset.promoCode;
    } catch (err) {
      if (seq !== state.seq || err?.name === "AbortError") return;
      const paths = (err.fieldErrors ?? []).map((e) => e.path);
      if (paths.includes("promoCode")) {
        // The code cannot be used: say why, and price the cart without it.
        promoError.textContent = err.message;
        promoInput.setAttribute("aria-invalid", "true");
        state.promoCode = null;
        return requote();
      }
      if (paths.includes("shippingMethodId") && state.methodId) {
        state.methodId = null;
        return requote();
      }
      for (const k of ["pricingToken", "shippingMethodId", "promoCode", "displayedTotal"]) delete form.dataset[k];
      submit.disabled = true;
      render(shippingBox, h("p", { class: "field-error" }, err.message));
      render(summary, ...orderSummary(cart), h("p", { class: "line-problem", role: "alert" }, err.message));
    }
  }

  function showTotal(quote) {
    submit.textContent = `Place order · ${money(quote.displayedTotal)}`;
    form.dataset.displayedTotal = String(quote.displayedTotal.amount);
  }

  // 409 price_changed: the server's new breakdown becomes the one shown (and sent next time).
  form.addEventListener("pricechanged", (e) => {
    const b = e.detail;
    const quote = { breakdown: b, displayedTotal: { amount: b.total, currency: b.currency } };
    render(summary, ...breakdownSummary(cart, quote));
    showTotal(quote);
  });

  function showShipping(quote) {
    render(
      shippingBox,
      quote.shippingOptions.map((o) =>
        h(
          "div",
          { class: "radio" },
          h("input", {
            type: "radio",
            id: `ship-${o.methodId}`,
            name: "shippingMethodId",
            value: o.methodId,
            checked: o.selected,
            disabled: o.unavailable !== null,
            onchange: () => {
              state.methodId = o.methodId;
              requote();
            },
          }),
          h(
            "label",
            { for: `ship-${o.methodId}` },
            o.name,
            h(
              "span",
              { class: "muted" },
              o.unavailable
                ? " — not available for this cart"
                : ` — ${o.cost === 0 ? "free" : money({ amount: o.cost, currency: quote.breakdown.currency })}`,
            ),
          ),
        ),
      ),
    );
  }

  const apply = () => {
    promoError.textContent = "";
    promoInput.removeAttribute("aria-invalid");
    state.promoCode = promoInput.value.trim() || null;
    requote();
  };
  form.querySelector("#apply-promo").addEventListener("click", apply);
  promoInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      apply();
    }
  });
  for (const name of ["country", "region"]) {
    form.elements.namedItem(name).addEventListener("change", () => {
      state.methodId = null;
      requote();
    });
  }
  form.querySelector("#f-savedAddress")?.addEventListener("change", () => {
    state.methodId = null;
    requote();
  });
  // "Place order" waits for the first priced total: a click before it would place the order
  // without the delivery choice and the shown total.
  submit.disabled = true;
  requote();
}

/** The server's breakdown: lines, subtotal, each discount, delivery, tax (included or added), total. */
function breakdownSummary(cart, quote) {
  const b = quote.breakdown;
  const m = (amount) => money({ amount, currency: b.currency });
  const names = new Map(cart.lines.map((l) => [l.productId, l.name ?? l.productId]));
  const inclusive = b.taxAdded === 0 && b.taxTotal > 0;
  const row = (label, value, attrs = {}) =>
    h("div", { class: "row", ...attrs }, h("dt", {}, label), h("dd", {}, value));
  return [
    h("h2", { id: "summary-heading" }, "Order summary"),
    h(
      "ul",
      { class: "plain" },
      b.lines.map((l) =>
        h(
          "li",
          { "data-product-id": l.productId },
          `${l.quantity} × ${names.get(l.productId) ?? l.productId}`,
          h("span", { class: "muted" }, ` ${m(l.subtotal)}`),
          l.discount ? h("span", { class: "muted" }, ` (−${m(l.discount)})`) : null,
        ),
      ),
    ),
    h(
      "dl",
      { class: "breakdown", id: "price-breakdown" },
      row("Subtotal", m(b.subtotal), { "data-part": "subtotal" }),
      b.discounts.map((d) =>
        row(d.code ? `Discount (${d.code})` : "Discount", `−${m(d.amount)}`, { "data-part": "discount" }),
      ),
      row(`Delivery (${b.shipping.name})`, b.shipping.cost === 0 ? "Free" : m(b.shipping.cost), {
        "data-part": "shipping",
      }),
      inclusive
        ? row("Includes tax", m(b.taxTotal), { "data-part": "tax" })
        : row("Tax", m(b.taxAdded), { "data-part": "tax" }),
      row("Total", h("strong", {}, m(b.total)), { "data-part": "total" }),
    ),
    h("p", {}, h("a", { href: "#/cart" }, "Edit cart")),
  ];
}

/**
 * "Ship to a saved address": the default preselected; choosing one fills the address fields
 * below (still editable; the order gets what the fields hold), "A new address" empties them.
 */
function savedAddressPicker(saved) {
  if (saved.length === 0) return null;
  const chosen = saved.find((a) => a.isDefaultShipping);
  return h(
    "div",
    { class: "field" },
    h("label", { for: "f-savedAddress" }, "Ship to a saved address"),
    h(
      "select",
      {
        id: "f-savedAddress",
        name: "savedAddress",
        onchange: (e) => {
          const a = saved.find((x) => x.id === e.currentTarget.value);
          fillAddress(
            e.currentTarget.form,
            a ?? { name: "", line1: "", line2: "", city: "", postalCode: "", country: "DE" },
          );
        },
      },
      h("option", { value: "", selected: !chosen }, "A new address"),
      saved.map((a) =>
        h(
          "option",
          { value: a.id, selected: a.id === chosen?.id },
          `${addressLine(a)}${a.isDefaultShipping ? " (default)" : ""}`,
        ),
      ),
    ),
    h("p", { class: "hint" }, h("a", { href: "#/addresses" }, "Manage your addresses")),
  );
}

function fillAddress(form, a) {
  for (const name of ["name", "line1", "line2", "city", "region", "postalCode", "country"]) {
    const input = form.elements.namedItem(name);
    if (input) input.value = a[name] ?? "";
  }
}

/** The cart's own figures, until (or unless) the server's breakdown arrives. */
function orderSummary(cart) {
  return [
    h("h2", { id: "summary-heading" }, "Order summary"),
    h(
      "ul",
      { class: "plain" },
      cart.lines.map((l) =>
        h(
          "li",
          { "data-product-id": l.productId },
          `${l.quantity} × ${l.name ?? l.productId}`,
          h("span", { class: "muted" }, ` ${money(l.lineTotal)}`),
          lineProblem(l) ? h("p", { class: "line-problem" }, lineProblem(l)) : null,
        ),
      ),
    ),
    h("p", { class: "total" }, "Total: ", h("strong", {}, money(cart.total))),
    h("p", {}, h("a", { href: "#/cart" }, "Edit cart")),
  ];
}

async function placeOrder(main, form, body, cart) {
  const key = attemptKey(body);
  try {
    // 202: a neighbour was slow and the order is still being placed; asking again with the
    // same key returns the outcome once it is known (never a second order).
    let result = await api("POST", "/orders", { body, headers: { "idempotency-key": key }, withStatus: true });
    for (let i = 0; result.status === 202 && i < 30; i++) {
      announce("Still placing your order…");
      await new Promise((r) => setTimeout(r, 1000));
      result = await api("POST", "/orders", { body, headers: { "idempotency-key": key }, withStatus: true });
    }
    const order = result.data;
    if (result.status === 202 || !order?.id) {
      return showFormErrors(form, {
        message:
          "Your order is taking longer than usual. Press “Place order” again in a moment: it will not be placed twice.",
      });
    }
    endAttempt();
    await refreshCartBadge();
    navigate(`#/orders/${encodeURIComponent(order.id)}?placed=1`);
  } catch (err) {
    // Retry with the same key only when the outcome is unknown (network, 5xx, still in flight).
    const unknownOutcome = err.status === 0 || err.status >= 500 || err.code === "idempotency_in_flight";
    if (!unknownOutcome) endAttempt();
    if (err.code === "insufficient_stock") return showOutOfStock(form, err, cart);
    if (err.code === "price_changed" && err.problem?.breakdown) return showPriceChanged(form, err);
    if (unknownOutcome) {
      return showFormErrors(form, {
        message: `${err.message} Press “Place order” again to retry safely: the order will not be placed twice.`,
      });
    }
    if (err.code === "session_expired") return pageError(main, err);
    showFormErrors(form, err);
  }
}

/** 409 price_changed: the total moved since the quote; show the new one, charge nothing. */
function showPriceChanged(form, err) {
  const b = err.problem.breakdown;
  form.dispatchEvent(new CustomEvent("pricechanged", { detail: b }));
  const total = money({ amount: b.total, currency: b.currency });
  showFormErrors(form, {
    message: `The total changed to ${total} since you last saw it; nothing was charged. Check the summary and place the order again.`,
  });
  announce(`The total changed to ${total}; nothing was charged.`, "error");
}

/** 409 insufficient_stock: name each line that cannot be filled and how many are left. */
function showOutOfStock(form, err, cart) {
  const names = new Map(cart.lines.map((l) => [l.productId, l.name ?? l.productId]));
  // The problem lists each short line: { productId, requested, available, reason }.
  const short = Array.isArray(err.problem.lines) ? err.problem.lines : [];
  const items = short.map(({ productId, available, reason }) => {
    const name = names.get(productId) ?? productId;
    if (reason !== "insufficient_stock") return `${name}: no longer sold`;
    return available > 0 ? `${name}: only ${available} left` : `${name}: sold out`;
  });
  const box = form.querySelector(".form-error");
  box.replaceChildren(
    h("strong", {}, "Some items are out of stock. "),
    err.message,
    items.length
      ? h(
          "ul",
          {},
          items.map((t) => h("li", {}, t)),
        )
      : null,
    h("a", { href: "#/cart" }, "Adjust your cart"),
  );
  box.hidden = false;
  box.focus();
  announce("Some items are out of stock; nothing was charged.", "error");
}
