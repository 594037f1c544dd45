// What every view shares: navigation, the signed-in guard, the cart badge, page errors.
import { api, getSession, SESSION_EXPIRED } from "./api.js";
import { announce, clearAnnouncement, h, render } from "./dom.js";

const SERVICE_NOTICE = "The sign-in service is unavailable; retrying. You are still signed in.";

/**
 * While the session cannot be refreshed (users down, network), say so instead of signing the
 * shopper out; the notice goes away on its own once a refresh succeeds.
 */
export function showSessionService(state) {
  const flash = document.getElementById("flash");
  if (state === "unavailable") announce(SERVICE_NOTICE, "error", { carry: true });
  else if (flash?.textContent === SERVICE_NOTICE) clearAnnouncement();
}

const SHOP_NAME = "Shop at the edge";

/** The tab's title for the current page: `text · Shop at the edge` (the shop's name alone without text). */
export function setTitle(text) {
  document.title = text ? `${text} · ${SHOP_NAME}` : SHOP_NAME;
}

export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

/** The current route as "#/path?query", for "come back here after signing in". */
export const here = () => location.hash || "#/products";

/** Sends a signed-out visitor to the sign-in page; returns the session or null. */
export function requireSession({ admin = false } = {}) {
  const session = getSession();
  if (!session) {
    announce("Please sign in to continue.", "info", { carry: true });
    navigate(`#/login?next=${encodeURIComponent(here())}`);
    return null;
  }
  if (admin && session.user?.role !== "admin") {
    announce("That page is for shop staff only.", "error", { carry: true });
    navigate("#/products");
    return null;
  }
  return session;
}

/** Updates the header's cart count; `cart` may be passed when the caller already has it. */
export async function refreshCartBadge(cart) {
  const badge = document.getElementById("cart-count");
  try {
    const c = cart ?? (await api("GET", "/cart"));
    const count = c?.itemCount ?? 0;
    badge.textContent = String(count);
  } catch {
    // The badge is a convenience; the cart page reports real errors.
  }
}

/** The shopper's market choice, as the gateway reads it (ADR 0032): a year, for the whole site. */
const MARKET_COOKIE = "market";

/**
 * The header's market selector: the shop's markets with their currency, the shopper's current one
 * selected (the gateway says which in `x-market`). Choosing one sets the cookie and reloads, so
 * every page, the cart and checkout are priced in it.
 */
export async function mountMarketSelector() {
  const bar = document.querySelector(".site-header .bar");
  if (!bar || document.getElementById("market-select")) return;
  let res;
  try {
    // Never from the browser's cache: the answer names the market of the cookie just set.
    res = await fetch("/markets", { headers: { accept: "application/json" }, cache: "no-cache" });
    if (!res.ok) return;
  } catch {
    return; // Without the list the shop still works, in the market the gateway chose.
  }
  const current = res.headers.get("x-market");
  const { items = [] } = await res.json();
  if (items.length < 2) return;
  const select = h(
    "select",
    { id: "market-select", class: "market-select", name: "market" },
    ...items.map((m) => h("option", { value: m.code, selected: m.code === current }, `${m.name} (${m.currency})`)),
  );
  select.addEventListener("change", () => {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    // biome-ignore lint/suspicious/noDocumentCookie: one fixed-format cookie, written before a reload (the Cookie Store API is not in every browser the shop supports)
    document.cookie = `${MARKET_COOKIE}=${encodeURIComponent(select.value)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
    location.reload();
  });
  bar.append(h("div", { class: "market-picker" }, h("label", { for: "market-select" }, "Prices for"), select));
}

/**
 * Shows an error a view could not handle itself. A lapsed session goes to sign-in with the
 * reason; anything else is shown in place with the server's own words.
 */
export function pageError(main, err, heading = "Something went wrong") {
  if (err?.code === SESSION_EXPIRED) {
    announce(err.message, "error", { carry: true });
    navigate(`#/login?next=${encodeURIComponent(here())}`);
    return;
  }
  if (err?.name === "AbortError") return;
  setTitle(heading);
  render(
    main,
    h("h1", { tabindex: "-1" }, heading),
    h("div", { class: "notice notice-error", role: "alert" }, err?.message ?? String(err)),
    h("p", {}, h("a", { href: "#/products" }, "Back to the catalog")),
  );
}

/** Focus the page heading after a navigation, so keyboard and screen reader users land on it. */
export function focusHeading(main) {
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
}
