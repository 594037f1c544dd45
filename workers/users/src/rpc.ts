import { WorkerEntrypoint } from "cloudflare:workers";
import type { CallMeta, Contact, Jwks, UsersRpc as UsersRpcContract } from "@shop/contracts";
import { meterD1 } from "@shop/runtime";
import { database } from "./db/client";
import type { UsersBindings } from "./env";
import { publicJwks } from "./keys";
import { getContact } from "./services/users/get-contact";

/** Internal RPC surface, reachable only through service bindings (entrypoint `UsersRpc`). */
export class UsersRpc extends WorkerEntrypoint<UsersBindings> implements UsersRpcContract {
  constructor(ctx: ExecutionContext, env: UsersBindings) {
    super(ctx, meterD1(env));
  }

  async jwks(_meta?: CallMeta): Promise<Jwks> {
    return publicJwks(this.env);
  }

  async getContact(userId: string, _meta?: CallMeta): Promise<Contact | null> {
    return getContact(database(this.env.DB), userId);
  }
}
