import { Conflict, Invalid } from "@shop/runtime";
import { failureText } from "../../db/client";

/** Maps constraint failures of admin writes to the client's mistake they stand for. */
export function adminWriteError(err: unknown): Conflict | Invalid | undefined {
  const message = failureText(err);
  if (/UNIQUE constraint failed: (products|product_variants)\.sku/.test(message)) {
    return new Conflict("conflict", "Another product or variant already uses this SKU.", [
      { path: "sku", message: "is already in use" },
    ]);
  }
  if (/FOREIGN KEY constraint failed/.test(message)) {
    return new Invalid([{ path: "categoryId", message: "is not a known category" }], "body");
  }
  return undefined;
}
