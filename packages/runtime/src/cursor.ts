import { type Column, lt, type SQL } from "drizzle-orm";
import { base64url } from "jose";
import { z } from "zod";
import { AppError } from "./errors";

/**
 * Opaque pagination cursors: base64url of a small JSON tuple of the last row's sort key.
 * Keyset pagination over a unique key is stable: no duplicates or gaps while data is unchanged.
 */
export type CursorValue = string | number | null;

export function encodeCursor(values: readonly CursorValue[]): string {
  return base64url.encode(JSON.stringify(values));
}

const CursorTuple = z
  .array(z.union([z.string().max(300), z.number(), z.null()]))
  .min(1)
  .max(4);

const badCursor = () =>
  new AppError(400, "validation_failed", "Invalid query: cursor", [
    { path: "cursor", message: "is not a cursor this API returned" },
  ]);

/** The tuple inside a cursor this API returned; anything else → 400. */
export function decodeCursor(cursor: string): CursorValue[] {
  try {
    if (cursor.length > 600 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("shape");
    return CursorTuple.parse(JSON.parse(new TextDecoder().decode(base64url.decode(cursor))));
  } catch {
    throw badCursor();
  }
}

/**
 * The common keyset, newest first on a unique, time-sortable text id (`ORDER BY id DESC`): the
 * condition "before the cursor's id", or undefined without a cursor (drizzle's `and` skips it).
 * A cursor that is not exactly one id → 400. Pair it with `keysetPage(rows, limit, (r) => [r.id])`.
 */
export function beforeIdCursor(column: Column, cursor: string | null | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const values = decodeCursor(cursor);
  const [id] = values;
  if (values.length !== 1 || typeof id !== "string") throw badCursor();
  return lt(column, id);
}

/**
 * One keyset page from a query that fetched `limit + 1` rows (the extra row only says that there
 * is a next page): the first `limit` rows, and the cursor after the last of them, made of that
 * row's sort key (`keyOf`), or null on the last page.
 */
export function keysetPage<R>(
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => readonly CursorValue[],
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
