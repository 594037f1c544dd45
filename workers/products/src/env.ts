import type { UsersRpc } from "@shop/contracts";
import type { AppEnv } from "@shop/runtime";

/** Bindings as the code sees them: `USERS` typed by its contract, not by the users worker's source. */
type ProductsBindings = Omit<Env, "USERS"> & { USERS: Fetcher & UsersRpc };
export type ProductsEnv = AppEnv<ProductsBindings>;
