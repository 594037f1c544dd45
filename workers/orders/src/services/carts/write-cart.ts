import { NotFound, Unprocessable } from "@shop/runtime";
import type { OrdersBindings } from "../../env";
import { accessOf, type CartKey, cartStub, freshGuestKey, NO_CART_KEY } from "./cart-key";
import type { CartAccess, CartState, CartWrite } from "./types";

type Stub = ReturnType<typeof cartStub>;

/**
 * What a write does when the guest holds no usable cart (none, a wrong secret, or one merged
 * into an account): `start_new_cart` (adding) writes to a cart minted now, `line_not_found`
 * (changing a line) is the 404 of an empty cart, `empty` (clearing) answers an empty cart.
 * Only adding ever creates a cart.
 */
export type WhenNoCart = "start_new_cart" | "line_not_found" | "empty";

const NOTHING: CartState = { exists: false, lines: [], mergedInto: null, market: null };

/** Applies one write to the cart and turns refusals into problems. */
export async function writeCart(
  env: Pick<OrdersBindings, "CART">,
  key: CartKey,
  productId: string | null,
  whenNoCart: WhenNoCart,
  op: (stub: Stub, access: CartAccess) => Promise<CartWrite>,
  /** Turns the refusals only this write can meet into their problems (thrown); the rest are below. */
  refused?: (result: CartWrite & { ok: false }) => void,
): Promise<{ key: CartKey; state: CartState }> {
  let result: CartWrite =
    key.kind === "none" ? { ok: false, code: "missing", state: NOTHING } : await op(cartStub(env, key), accessOf(key));
  if (!result.ok && key.kind !== "user" && (result.code === "missing" || result.code === "merged")) {
    if (whenNoCart === "empty") return { key: NO_CART_KEY, state: NOTHING };
    if (whenNoCart === "line_not_found") result = { ok: false, code: "line_not_found", state: NOTHING };
    else {
      key = freshGuestKey();
      result = await op(cartStub(env, key), accessOf(key));
    }
  }
  if (result.ok) return { key, state: result.state };
  refused?.(result);
  const path = productId ?? "cart";
  switch (result.code) {
    case "too_many_lines":
      throw new Unprocessable("A cart holds at most 50 different products.", [
        { path: "productId", message: `${path} would be line 51` },
      ]);
    case "quantity_limit":
      throw new Unprocessable(`At most 99 units of ${path} fit in one cart line.`, [
        { path: "quantity", message: "the line would exceed 99" },
      ]);
    case "line_not_found":
      throw new NotFound(path, {
        detail: `${path} is not in the cart.`,
        errors: [{ path: "productId", message: "is not in the cart" }],
      });
    default:
      // A user's cart is never sealed and never has a secret; reaching this is a bug, not the client's doing.
      throw new Error(`cart write refused: ${result.code}`);
  }
}
