import { base64url } from "jose";
import { z } from "zod";
import { AppError } from "./errors";

/**
 * Opaque pagination cursors: base64url of a small JSON tuple of the last row's sort key.
 * Keyset pagination over a unique key is stable: no duplicates or gaps while data is unchanged.
 */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return base64url.encode(JSON.stringify(values));
}

const CursorTuple = z
  .array(z.union([z.string().max(300), z.number(), z.null()]))
  .min(1)
  .max(4);

export function decodeCursor(cursor: string): (string | number | null)[] {
  try {
    if (cursor.length > 600 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("shape");
    return CursorTuple.parse(JSON.parse(new TextDecoder().decode(base64url.decode(cursor))));
  } catch {
    throw new AppError(400, "validation_failed", "Invalid query: cursor", [
      { path: "cursor", message: "is not a cursor this API returned" },
    ]);
  }
}
