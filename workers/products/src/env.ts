import type { UsersRpc } from "@shop/contracts";
import type { ServiceContext, ServiceEnv } from "@shop/runtime";
import type { Db } from "./db/client";

/** Bindings as the code sees them: `USERS` typed by its contract, not by the users worker's source. */
export type ProductsBindings = Omit<Env, "USERS"> & { USERS: Fetcher & UsersRpc };
/** The Hono env: bindings, the shared variables and `ctx` (ADR 0021). */
export type ProductsEnv = ServiceEnv<ProductsBindings, Db>;
/** What every products service verb gets first. */
export type ProductsContext = ServiceContext<Db, ProductsBindings>;
