import { AppError } from "@shop/runtime";
import type { CartDO, CartWrite } from "../../durable-objects/cart";
import type { OrdersBindings } from "../../env";
import { type CartKey, cartStub } from "./cart-key";
import { freshGuestKey } from "./open-cart";

type Stub = DurableObjectStub<CartDO>;

/**
 * Applies one write to the cart and turns refusals into problems. A guest cart that was
 * merged into an account refuses writes; the guest then continues in a fresh cart.
 */
export async function writeCart(
  env: Pick<OrdersBindings, "CART">,
  key: CartKey,
  productId: string | null,
  op: (stub: Stub, guest: boolean) => Promise<CartWrite>,
): Promise<{ key: CartKey; result: Extract<CartWrite, { ok: true }> }> {
  let result = await op(cartStub(env, key), key.kind === "guest");
  if (!result.ok && result.code === "merged" && key.kind === "guest") {
    key = freshGuestKey();
    result = await op(cartStub(env, key), true);
  }
  if (result.ok) return { key, result };
  const path = productId ?? "cart";
  switch (result.code) {
    case "too_many_lines":
      throw new AppError(422, "unprocessable", "A cart holds at most 50 different products.", [
        { path: "productId", message: `${path} would be line 51` },
      ]);
    case "quantity_limit":
      throw new AppError(422, "unprocessable", `At most 99 units of ${path} fit in one cart line.`, [
        { path: "quantity", message: "the line would exceed 99" },
      ]);
    case "line_not_found":
      throw new AppError(404, "not_found", `${path} is not in the cart.`, [
        { path: "productId", message: "is not in the cart" },
      ]);
    default:
      throw new AppError(409, "conflict", "This cart was merged into an account; sign in to use it.");
  }
}
