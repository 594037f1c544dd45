import type { CallMeta, OrderCustomer, OrderPage, UsersRpc } from "@shop/contracts";
import { log } from "@shop/runtime";

/** Past this, the page goes out without names rather than wait on a slow users service. */
export const CUSTOMER_LOOKUP_TIMEOUT_MS = 2_000;

const UNKNOWN: OrderCustomer = { name: null, email: null };

/**
 * Adds each order's customer (name and email) to a page of the admin listing, with ONE batch
 * call to users for the whole page (a page holds at most MAX_PAGE_SIZE orders, which is also
 * what one `contactsOf` call may carry). Users unreachable, slow or refusing: the page still
 * answers, every customer `{ name: null, email: null }`. Callers decide who may see this.
 */
export async function withCustomers(
  users: Pick<UsersRpc, "contactsOf">,
  page: OrderPage,
  meta: CallMeta,
): Promise<OrderPage> {
  const ids = [...new Set(page.items.map((o) => o.userId))];
  const known = new Map<string, OrderCustomer>();
  if (ids.length > 0) {
    let timer: ReturnType<typeof setTimeout> | null = null;
    try {
      const contacts = await Promise.race([
        users.contactsOf(ids, meta),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("users did not answer in time")), CUSTOMER_LOOKUP_TIMEOUT_MS);
        }),
      ]);
      for (const c of contacts) known.set(c.userId, { name: c.name, email: c.email });
    } catch (err) {
      log("warn", { worker: "orders", ...meta, msg: "order list sent without customer names", error: String(err) });
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
  }
  return { ...page, items: page.items.map((o) => ({ ...o, customer: known.get(o.userId) ?? UNKNOWN })) };
}
