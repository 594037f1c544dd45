import { WorkerEntrypoint } from "cloudflare:workers";
import type { CallMeta, Contact, Jwks, UsersRpc as UsersRpcContract } from "@shop/contracts";
import { publicJwks } from "./keys";

/** Internal RPC surface, reachable only through service bindings (entrypoint `UsersRpc`). */
export class UsersRpc extends WorkerEntrypoint<Env> implements UsersRpcContract {
  async jwks(_meta?: CallMeta): Promise<Jwks> {
    return publicJwks(this.env);
  }

  async getContact(_userId: string, _meta?: CallMeta): Promise<Contact | null> {
    throw new Error("getContact: not implemented yet");
  }
}
