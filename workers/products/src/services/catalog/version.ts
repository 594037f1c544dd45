import { CATALOG_FRESHNESS_MS, EDGE_HOT_CATALOG_MS } from "@shop/contracts";
import { log } from "@shop/runtime";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { catalogState } from "../../db/schema";
import type { ProductsContext } from "../../env";

/** Identifies one state of the catalog; cache entries and ETags carry it. */
export type CatalogVersion = Pick<typeof catalogState.$inferSelect, "version" | "stamp">;

/**
 * How long this isolate trusts the version it last read (ADR 0022). Younger than
 * `REFRESH_AFTER_MS`: used as is. Up to `MAX_AGE_MS`: used, and one read refreshes it in the
 * background (`defer`). Older, or absent: the request reads it itself. So a shopper's read
 * never pairs with a version read more than MAX_AGE_MS ago (counted from the read's start, so
 * its round trip is inside), and the gateway keeps a page at most EDGE_HOT_CATALOG_MS more
 * (ADR 0024): a write shows within CATALOG_FRESHNESS_MS (5 s).
 */
export const REFRESH_AFTER_MS = 1_000;
export const MAX_AGE_MS = CATALOG_FRESHNESS_MS - EDGE_HOT_CATALOG_MS;

/** The newest version this isolate has seen, and when a read that saw it (or a newer one) started. */
let memo: { version: CatalogVersion; readAt: number } | undefined;
let backgroundRead = false;

/** The version read, as the first statement of a read batch. */
export function catalogVersionQuery(db: Db) {
  return db
    .select({ version: catalogState.version, stamp: catalogState.stamp })
    .from(catalogState)
    .where(eq(catalogState.id, 1));
}

export function catalogVersionOf(rows: CatalogVersion[] | undefined): CatalogVersion {
  const row = rows?.[0];
  if (!row) throw new Error("catalog_state row is missing (migrations not applied?)");
  return row;
}

/**
 * Records a version seen by a read (or returned by a write) that started at `readAt`.
 * Versions only go up, so the memo keeps the highest version and the latest start time:
 * everything committed before `readAt` is at or below the version kept.
 */
export function noteCatalogVersion(version: CatalogVersion, readAt: number): void {
  if (!memo || version.version > memo.version.version) memo = { version, readAt: Math.max(readAt, memo?.readAt ?? 0) };
  else if (readAt > memo.readAt) memo = { version: memo.version, readAt };
}

/** One point read of the version (the memo learns it). */
export async function readCatalogVersion(ctx: ProductsContext): Promise<CatalogVersion> {
  const started = Date.now();
  const version = catalogVersionOf(await catalogVersionQuery(ctx.db));
  noteCatalogVersion(version, started);
  return version;
}

/**
 * The catalog version a read may serve without a round trip, or undefined when this isolate
 * knows none recent enough (see the bounds above). `atLeast` is a version the caller wrote
 * and must see (read-your-writes): a memo below it does not count.
 */
export function knownCatalogVersion(ctx: ProductsContext, atLeast?: number): CatalogVersion | undefined {
  const known = memo;
  if (!known || (atLeast !== undefined && known.version.version < atLeast)) return undefined;
  const age = Date.now() - known.readAt;
  if (age >= MAX_AGE_MS) return undefined;
  if (age >= REFRESH_AFTER_MS && !backgroundRead) {
    // One background read per isolate at a time; no other request awaits it. It starts after
    // the answer is written (a macrotask later), so it is no part of the request's round trips.
    backgroundRead = true;
    ctx.defer(
      new Promise((resolve) => setTimeout(resolve, 0))
        .then(() => readCatalogVersion(ctx))
        .catch((err: unknown) =>
          log("warn", { worker: "products", msg: "catalog version refresh failed", error: String(err) }),
        )
        .finally(() => {
          backgroundRead = false;
        }),
    );
  }
  return known.version;
}
