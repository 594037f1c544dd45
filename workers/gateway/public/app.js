// Storefront entry: a hash router (every other path belongs to the API), the header's
// signed-in state, and one view per page under /assets/views/.
import { getSession, onSessionChange, onSessionServiceChange, restoreSession, signOut } from "./assets/api.js";
import { announce, clearAnnouncement, h, render } from "./assets/dom.js";
import {
  focusHeading,
  mountMarketSelector,
  navigate,
  pageError,
  refreshCartBadge,
  setTitle,
  showSessionService,
} from "./assets/shell.js";
import { addressesView } from "./assets/views/addresses.js";
import { adminMarketsView } from "./assets/views/admin-markets.js";
import { adminOrdersView } from "./assets/views/admin-orders.js";
import { adminProductsView } from "./assets/views/admin-products.js";
import { adminPromotionsView } from "./assets/views/admin-promotions.js";
import { adminReturnsView } from "./assets/views/admin-returns.js";
import { adminShippingView } from "./assets/views/admin-shipping.js";
import { loginView, registerView, verifyEmailView } from "./assets/views/auth.js";
import { cartView } from "./assets/views/cart.js";
import { catalogView } from "./assets/views/catalog.js";
import { checkoutView } from "./assets/views/checkout.js";
import { orderView } from "./assets/views/order.js";
import { ordersView } from "./assets/views/orders.js";
import { preferencesView } from "./assets/views/preferences.js";
import { productView } from "./assets/views/product.js";

const ROUTES = [
  [/^\/products$/, catalogView, "Catalog"],
  [/^\/product\/([^/]+)$/, productView, "Product"],
  [/^\/cart$/, cartView, "Cart"],
  [/^\/checkout$/, checkoutView, "Checkout"],
  [/^\/orders$/, ordersView, "My orders"],
  [/^\/orders\/([^/]+)$/, orderView, "Order"],
  [/^\/login$/, loginView, "Sign in"],
  [/^\/register$/, registerView, "Register"],
  [/^\/verify-email$/, verifyEmailView, "Confirm your email"],
  [/^\/preferences$/, preferencesView, "Notification preferences"],
  [/^\/addresses$/, addressesView, "Addresses"],
  [/^\/admin\/products$/, adminProductsView, "Admin: products"],
  [/^\/admin\/orders$/, adminOrdersView, "Admin: orders"],
  [/^\/admin\/returns$/, adminReturnsView, "Admin: returns"],
  [/^\/admin\/promotions$/, adminPromotionsView, "Admin: promotions"],
  [/^\/admin\/markets$/, adminMarketsView, "Admin: markets"],
  [/^\/admin\/shipping$/, adminShippingView, "Admin: shipping"],
];

let current = null;

async function route() {
  const raw = location.hash.replace(/^#/, "") || "/products";
  const [path, search = ""] = raw.split("?");
  const match = ROUTES.map(([re, view, title]) => ({ m: re.exec(path), view, title })).find((r) => r.m);
  const main = document.getElementById("main");

  current?.abort();
  const controller = new AbortController();
  current = controller;
  if (!match) {
    if (path === "/" || path === "") return navigate("#/products");
    setTitle("Page not found");
    markCurrentLink(path);
    render(main, h("h1", {}, "Page not found"), h("p", {}, h("a", { href: "#/products" }, "Go to the catalog")));
    return focusHeading(main);
  }

  // The route's name until the view knows better (a product's name, a search).
  setTitle(match.title);
  markCurrentLink(path);
  const ctx = {
    params: match.m.slice(1).map(decodeURIComponent),
    query: new URLSearchParams(search),
    signal: controller.signal,
    /** False once the shopper navigated elsewhere: long-running work (polling) stops. */
    isCurrent: () => current === controller && !controller.signal.aborted,
  };
  // Each navigation renders into its own container: a slower previous view that finishes
  // late writes into a detached element and can never overwrite the current page.
  const view = h("div", { class: "view" }, h("p", { class: "muted" }, "Loading…"));
  main.replaceChildren(view);
  main.setAttribute("aria-busy", "true");
  try {
    await match.view(view, ctx);
    if (ctx.isCurrent()) focusHeading(view);
  } catch (err) {
    if (ctx.isCurrent()) pageError(view, err);
  } finally {
    if (ctx.isCurrent()) main.removeAttribute("aria-busy");
  }
}

function markCurrentLink(path) {
  for (const a of document.querySelectorAll(".nav-list a")) {
    if (a.getAttribute("href") === `#${path}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function showSessionState(session) {
  const role = session?.user?.role;
  for (const el of document.querySelectorAll("[data-when]")) {
    const when = el.dataset.when;
    el.hidden = !(
      (when === "signed-in" && session) ||
      (when === "signed-out" && !session) ||
      (when === "admin" && role === "admin")
    );
  }
  document.getElementById("who").textContent = session?.user?.name ? `(${session.user.name})` : "";
}

document.getElementById("sign-out").addEventListener("click", async () => {
  // The server revokes the session and clears the cookie; signing out locally never waits on it.
  signOut();
  announce("You are signed out.", "info", { carry: true });
  await refreshCartBadge();
  navigate("#/products");
});

// A link click on the current page's link still clears the previous page's message.
window.addEventListener("hashchange", () => {
  const flash = document.getElementById("flash");
  if (flash.dataset.sticky === "1") delete flash.dataset.sticky;
  else clearAnnouncement();
  route();
});
onSessionChange(showSessionState);
onSessionServiceChange((state) => {
  showSessionService(state);
  // Back from an outage: show the current page again, now with a working session.
  if (state === "ok" && getSession()) route();
});
showSessionState(getSession());
mountMarketSelector();
// The access token lives in memory only: a page load gets one through the refresh cookie
// before the first view asks for signed-in data (the header already shows who was signed in).
restoreSession().finally(() => {
  refreshCartBadge();
  route();
});
