import { AppError } from "@shop/runtime";

/**
 * Reads the product version from `If-Match`: `"7"`, `W/"7"`, or the ETag of
 * `GET /products/{id}` (`"7.c…"`, whose leading number is the product version).
 * Returns null for `*` or a missing header when `required` is false.
 */
export function expectedVersion(header: string | undefined, required: boolean): number | null {
  if (header === undefined || header.trim() === "") {
    if (!required) return null;
    throw new AppError(428, "precondition_required", 'Send If-Match: "<version>" (the version you read) to update.');
  }
  if (header.trim() === "*") return null;
  const m = /^(?:W\/)?"(\d{1,9})(?:\.[^"]*)?"$/.exec(header.trim());
  if (!m?.[1]) {
    throw new AppError(400, "validation_failed", "Invalid header: if-match", [
      { path: "if-match", message: 'must be a quoted product version, e.g. "3"' },
    ]);
  }
  return Number(m[1]);
}
