import { WorkerEntrypoint } from "cloudflare:workers";
import {
  type CallMeta,
  type CommitResult,
  MarketCode,
  OrderId,
  ProductId,
  type ProductsRpc as ProductsRpcContract,
  type QuotedLine,
  type ReleaseResult,
  type ReserveResult,
  type RestockResult,
  type RestockReturnResult,
  ReturnId,
  type StockLine,
  StockLine as StockLineSchema,
  VariantId,
} from "@shop/contracts";
import { injectFault, log, meterD1, serviceContextFor } from "@shop/runtime";
import { z } from "zod";
// The one reserve there is; battery builds alias it to src/harness/armed.ts (ADR 0015).
import { reserveFor } from "#harness";
import { database } from "./db/client";
import type { ProductsBindings, ProductsContext } from "./env";
import { forgetProductPages } from "./http/catalog-cache";
import { listMarketCodes } from "./services/markets/markets";
import { commitReservation } from "./services/reservations/commit";
import { quoteLines } from "./services/reservations/quote";
import { releaseReservation } from "./services/reservations/release";
import { restockReservation } from "./services/reservations/restock";
import { restockReturn } from "./services/reservations/restock-return";

const MAX_LINES = 50;
/** A hold lives at most one day. */
const TtlSeconds = z.int().min(1).max(86_400);
const ReserveLines = z.array(StockLineSchema).min(1).max(MAX_LINES);
/** A line names a variant, or a product alone (its default variant: callers before variants). */
const QuoteLines = z
  .array(
    z
      .object({ productId: ProductId.optional(), variantId: VariantId.optional(), quantity: z.int() })
      .refine((l) => l.productId !== undefined || l.variantId !== undefined, "name a variantId or a productId"),
  )
  .min(1)
  .max(MAX_LINES);

/**
 * The market a call names, checked (a malformed or unknown one is the caller's bug and throws);
 * undefined (the default market, read as before markets) when it names none.
 */
async function knownMarket(ctx: ProductsContext, market: unknown): Promise<string | undefined> {
  if (market === undefined || market === null) return undefined;
  const code = arg(MarketCode, market, "market");
  if (!(await listMarketCodes(ctx)).includes(code)) throw new TypeError(`market: ${code} is not a market of this shop`);
  return code;
}

/** Parses an RPC argument; the error message survives the RPC boundary (zod's class does not). */
function arg<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new TypeError(`${name}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function logCall(method: string, meta: CallMeta | undefined, fields: Record<string, unknown>): void {
  log("info", {
    worker: "products",
    rpc: method,
    requestId: meta?.requestId,
    traceparent: meta?.traceparent,
    ...fields,
  });
}

/**
 * Internal RPC surface for `orders`, reachable only through service bindings
 * (entrypoint `ProductsRpc`). Arguments are still validated: a malformed call is a
 * bug in the caller and throws; business outcomes come back as results.
 */
export class ProductsRpc extends WorkerEntrypoint<ProductsBindings> implements ProductsRpcContract {
  constructor(ctx: ExecutionContext, env: ProductsBindings) {
    // Only orders calls this entrypoint, and RPC runs on the caller's machine: where orders is
    // placed next to the data (ADR 0038), so are these calls (the benchmark's `placed` geography).
    super(ctx, meterD1(env, { invokedBy: "rpc" }));
  }

  /** The same services the routes call, with a context for this call (no principal: an internal caller). */
  private context(meta: CallMeta | undefined): ProductsContext {
    return serviceContextFor({
      db: database(this.env.DB),
      env: this.env,
      meta,
      defer: (work) => this.ctx.waitUntil(work),
    });
  }

  /** Without `market`, the default market's prices (every caller before markets, ADR 0032). */
  async quote(
    lines: { productId?: string; variantId?: string; quantity: number }[],
    meta?: CallMeta,
    market?: string,
  ): Promise<QuotedLine[]> {
    const parsed = arg(QuoteLines, lines, "lines");
    const ctx = this.context(meta);
    const code = await knownMarket(ctx, market);
    logCall("quote", meta, { lines: parsed.length, market: code });
    return quoteLines(ctx, { lines: parsed, market: code });
  }

  async reserve(
    orderId: string,
    lines: StockLine[],
    ttlSeconds: number,
    meta?: CallMeta,
    market?: string,
  ): Promise<ReserveResult> {
    const id = arg(OrderId, orderId, "orderId");
    await injectFault(this.env, "products.reserve");
    const reserve = reserveFor(this.env);
    const ctx = this.context(meta);
    const result = await reserve(ctx, {
      orderId: id,
      lines: arg(ReserveLines, lines, "lines"),
      ttlSeconds: arg(TtlSeconds, ttlSeconds, "ttlSeconds"),
      market: await knownMarket(ctx, market),
    });
    logCall("reserve", meta, { orderId: id, ok: result.ok, replayed: result.ok && result.replayed });
    if (result.ok && !result.replayed)
      this.ctx.waitUntil(
        this.forgetPages(
          ctx,
          result.lines.map((l) => l.productId),
        ),
      );
    return result;
  }

  /** The product pages whose held stock moved, in every market's cache entry. */
  private async forgetPages(ctx: ProductsContext, productIds: string[]): Promise<void> {
    const codes = await listMarketCodes(ctx);
    await forgetProductPages(productIds.filter(Boolean), codes);
  }

  async commit(orderId: string, meta?: CallMeta): Promise<CommitResult> {
    await injectFault(this.env, "products.commit");
    const result = await commitReservation(this.context(meta), { orderId: arg(OrderId, orderId, "orderId") });
    logCall("commit", meta, { orderId, ...result });
    return result;
  }

  async release(orderId: string, meta?: CallMeta): Promise<ReleaseResult> {
    await injectFault(this.env, "products.release");
    const { result, returned } = await releaseReservation(this.context(meta), {
      orderId: arg(OrderId, orderId, "orderId"),
    });
    logCall("release", meta, { orderId, ...result });
    if (returned.length > 0) this.ctx.waitUntil(this.forgetPages(this.context(meta), returned));
    return result;
  }

  async restock(orderId: string, meta?: CallMeta): Promise<RestockResult> {
    await injectFault(this.env, "products.restock");
    const result = await restockReservation(this.context(meta), { orderId: arg(OrderId, orderId, "orderId") });
    logCall("restock", meta, { orderId, ...result });
    return result;
  }

  async restockReturn(returnId: string, lines: StockLine[], meta?: CallMeta): Promise<RestockReturnResult> {
    await injectFault(this.env, "products.restock");
    const result = await restockReturn(this.context(meta), {
      returnId: arg(ReturnId, returnId, "returnId"),
      lines: arg(ReserveLines, lines, "lines"),
    });
    logCall("restockReturn", meta, { returnId, ...result });
    if (!result.replayed) this.ctx.waitUntil(forgetProductPages(lines.map((l) => l.productId ?? "").filter(Boolean)));
    return result;
  }
}
