import { api, getSession } from "../api.js";
import { announce, busy, h, money, render } from "../dom.js";
import { productImage } from "../product-fields.js";
import { pageError, refreshCartBadge } from "../shell.js";
import { variantDetails } from "./order.js";

const PROBLEMS = {
  not_found: "This product is no longer sold. Remove it to check out.",
  inactive: "This product is no longer available. Remove it to check out.",
  insufficient_stock: "Not enough in stock for this quantity.",
  currency_mismatch: "This product is priced in another currency and cannot be ordered together with the rest.",
  not_in_market: "This product is not sold where you are shopping now. Remove it to check out.",
};

export function lineProblem(line) {
  if (!line.problem) return null;
  const base = PROBLEMS[line.problem] ?? line.problem;
  return line.problem === "insufficient_stock" ? `${base} Only ${line.available} available.` : base;
}

/** The cart: guest or signed in, quantities, removal, and the way to checkout. */
export async function cartView(main, ctx) {
  const cart = await api("GET", "/cart", { signal: ctx.signal });
  if (!ctx.isCurrent()) return;
  await refreshCartBadge(cart);
  show(main, ctx, cart);
}

function show(main, ctx, cart) {
  const lines = cart?.lines ?? [];
  if (!lines.length) {
    render(
      main,
      h("h1", {}, "Your cart"),
      h("p", {}, "Your cart is empty."),
      h("p", {}, h("a", { class: "btn", href: "#/products" }, "Browse the catalog")),
    );
    return;
  }
  const update = async (work, message) => {
    try {
      const next = await work();
      const fresh = next?.lines ? next : await api("GET", "/cart");
      await refreshCartBadge(fresh);
      show(main, ctx, fresh);
      announce(message, "success");
      main.querySelector("h1")?.focus();
    } catch (err) {
      if (err.fieldErrors?.length || err.status < 500) announce(err.message, "error");
      else pageError(main, err);
    }
  };

  const rows = lines.map((line) => {
    const name = line.name ?? line.productId;
    // A line is one variant (size M and size L are two lines); older answers name the product only.
    const lineId = line.variantId ?? line.productId;
    const qtyId = `qty-${lineId}`;
    const qty = h("input", {
      id: qtyId,
      name: "quantity",
      type: "number",
      min: 1,
      max: 99,
      value: line.quantity,
      inputmode: "numeric",
      class: "qty",
    });
    const save = h("button", { type: "submit", class: "btn btn-small btn-secondary" }, "Update");
    const form = h(
      "form",
      { class: "qty-form" },
      h("label", { for: qtyId, class: "visually-hidden" }, `Quantity of ${name}`),
      qty,
      save,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const n = Number(qty.value);
      if (!Number.isInteger(n) || n < 1 || n > 99) {
        qty.setCustomValidity("Choose a quantity from 1 to 99, or remove the item.");
        qty.reportValidity();
        return;
      }
      qty.setCustomValidity("");
      busy(save, () =>
        update(
          () => api("PATCH", `/cart/items/${encodeURIComponent(lineId)}`, { body: { quantity: n } }),
          `${name}: quantity set to ${n}.`,
        ),
      );
    });
    const remove = h(
      "button",
      { type: "button", class: "btn btn-small btn-danger", "aria-label": `Remove ${name} from cart` },
      "Remove",
    );
    remove.addEventListener("click", () =>
      busy(remove, () =>
        update(() => api("DELETE", `/cart/items/${encodeURIComponent(lineId)}`), `${name} removed from your cart.`),
      ),
    );
    const problem = lineProblem(line);
    return h(
      "li",
      {
        class: `cart-line${problem ? " has-problem" : ""}`,
        "data-product-id": line.productId,
        "data-variant-id": lineId,
      },
      productImage(line, "thumb"),
      h(
        "div",
        { class: "cart-line-info" },
        h("a", { href: `#/product/${encodeURIComponent(line.productId)}`, class: "cart-line-name" }, name),
        variantDetails(line),
        h("p", { class: "muted" }, `${money(line.unitPrice)} each`),
        problem ? h("p", { class: "line-problem", role: "note" }, problem) : null,
      ),
      form,
      h("p", { class: "line-total" }, money(line.lineTotal)),
      remove,
    );
  });

  const signedIn = Boolean(getSession());
  const checkout = cart.checkoutReady
    ? h(
        "a",
        {
          class: "btn btn-primary",
          href: signedIn ? "#/checkout" : `#/login?next=${encodeURIComponent("#/checkout")}`,
        },
        signedIn ? "Proceed to checkout" : "Sign in to check out",
      )
    : h(
        "p",
        { class: "notice notice-error", role: "note" },
        "Some items cannot be ordered as they are. Adjust or remove them to check out.",
      );

  render(
    main,
    h("h1", {}, "Your cart"),
    h("ul", { class: "cart-lines", "aria-label": "Items in your cart" }, rows),
    h(
      "div",
      { class: "cart-summary" },
      h("p", { class: "total" }, "Subtotal: ", h("strong", { id: "cart-total" }, money(cart.total))),
      h("p", { class: "muted" }, "Delivery, discounts and tax are worked out at checkout, for your address."),
      checkout,
    ),
    signedIn
      ? null
      : h(
          "p",
          { class: "muted" },
          "New here? ",
          h("a", { href: `#/register?next=${encodeURIComponent("#/checkout")}` }, "Create an account"),
          " — your cart comes with you.",
        ),
  );
}
