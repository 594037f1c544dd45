import { z } from "zod";
import { AppError } from "./errors";

/**
 * Opaque pagination cursors: base64url of a small JSON tuple of the last row's sort key.
 * Keyset pagination over a unique key is stable: no duplicates or gaps while data is unchanged.
 */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const CursorTuple = z
  .array(z.union([z.string().max(300), z.number(), z.null()]))
  .min(1)
  .max(4);

export function decodeCursor(cursor: string): (string | number | null)[] {
  try {
    if (cursor.length > 600 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("shape");
    const bin = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    return CursorTuple.parse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    throw new AppError(400, "validation_failed", "Invalid query: cursor", [
      { path: "cursor", message: "is not a cursor this API returned" },
    ]);
  }
}
