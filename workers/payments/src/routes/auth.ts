import type { UsersRpc } from "@shop/contracts";
import { authenticate, callMeta } from "@shop/runtime";
import type { Context } from "hono";
import type { PaymentsApp } from "../env";

/** Bearer-token check against the JWKS of `users` (one verifier and key cache per isolate). */
export const requireUser = authenticate((c: Context<PaymentsApp>) =>
  (c.env.USERS as unknown as Pick<UsersRpc, "jwks">).jwks(callMeta(c)),
);
