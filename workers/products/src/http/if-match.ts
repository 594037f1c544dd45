import { AppError, Invalid } from "@shop/runtime";

/**
 * Reads the product version from `If-Match`: `"7"`, `W/"7"`, or the ETag of
 * `GET /products/{id}` (`"7.c…"`, whose leading number is the product version).
 * Returns null for `*` or a missing header when `required` is false. A missing required
 * header is an HTTP matter (428), so it stays an `AppError`.
 */
export function expectedVersion(header: string | undefined, required: boolean): number | null {
  if (header === undefined || header.trim() === "") {
    if (!required) return null;
    throw new AppError(428, "precondition_required", 'Send If-Match: "<version>" (the version you read) to update.');
  }
  if (header.trim() === "*") return null;
  const m = /^(?:W\/)?"(\d{1,9})(?:\.[^"]*)?"$/.exec(header.trim());
  if (!m?.[1]) {
    throw new Invalid([{ path: "if-match", message: 'must be a quoted product version, e.g. "3"' }], "header");
  }
  return Number(m[1]);
}
