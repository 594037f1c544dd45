import type { Jwks } from "@shop/contracts";
import type { UsersContext } from "../../env";
import { publicJwks } from "../../keys";

/** The published key set: the current public key plus any previous ones still honoured. */
export function getJwks(ctx: UsersContext): Promise<Jwks> {
  return publicJwks(ctx.env);
}
