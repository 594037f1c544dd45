import { WorkerEntrypoint } from "cloudflare:workers";
import type { CallMeta, Contact, CustomerName, Jwks, UsersRpc as UsersRpcContract } from "@shop/contracts";
import { injectFault, meterD1, serviceContextFor } from "@shop/runtime";
import { database } from "./db/client";
import type { UsersBindings, UsersContext } from "./env";
import { getJwks } from "./services/keys/get-jwks";
import { contactsOf } from "./services/users/contacts-of";
import { getContact } from "./services/users/get-contact";

/**
 * Internal RPC surface, reachable only through service bindings (entrypoint `UsersRpc`).
 * Test-only fault point `users.rpc` (ADR 0015) at the top of each method: with `users.http`
 * it takes the whole service down, so the battery and the security suite can outlast the
 * other workers' key caches. A no-op in production builds.
 */
export class UsersRpc extends WorkerEntrypoint<UsersBindings> implements UsersRpcContract {
  constructor(ctx: ExecutionContext, env: UsersBindings) {
    super(ctx, meterD1(env));
  }

  /** The same services the routes call, with a context for this call (no principal: an internal caller). */
  private context(meta: CallMeta | undefined): UsersContext {
    return serviceContextFor({
      db: database(this.env.DB),
      env: this.env,
      meta,
      defer: (work) => this.ctx.waitUntil(work),
    });
  }

  async jwks(meta?: CallMeta): Promise<Jwks> {
    await injectFault(this.env, "users.rpc");
    return getJwks(this.context(meta));
  }

  async getContact(userId: string, meta?: CallMeta): Promise<Contact | null> {
    await injectFault(this.env, "users.rpc");
    return getContact(this.context(meta), { userId });
  }

  /** Name and email per known id, in one read (at most MAX_CONTACTS_PER_CALL ids). */
  async contactsOf(userIds: string[], meta?: CallMeta): Promise<CustomerName[]> {
    await injectFault(this.env, "users.rpc");
    return contactsOf(this.context(meta), { userIds });
  }
}
