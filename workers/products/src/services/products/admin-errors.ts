import { AppError, conflict } from "@shop/runtime";

/** Maps constraint failures of admin writes to the client's mistake they stand for. */
export function adminWriteError(err: unknown): AppError | undefined {
  const message = String(err);
  if (/UNIQUE constraint failed: products\.sku/.test(message)) {
    return conflict("conflict", "Another product already uses this SKU.", [
      { path: "sku", message: "is already in use" },
    ]);
  }
  if (/FOREIGN KEY constraint failed/.test(message)) {
    return new AppError(400, "validation_failed", "Invalid body: categoryId", [
      { path: "categoryId", message: "is not a known category" },
    ]);
  }
  return undefined;
}
