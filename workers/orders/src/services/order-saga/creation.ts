import type { Order } from "@shop/contracts";
import type { OrderStore } from "./store";
import type { CreationOutcome, OrderRow, PlaceOutcome, RefusalCode } from "./types";

/**
 * How placing ended, as stored. Order migration 0001 turned every stored HTTP answer into a
 * `creation`; a row that a rolled-back release settled afterwards has only its HTTP answer,
 * which is read the same way (expand/contract, ADR 0014).
 */
export function storedCreation(row: OrderRow): CreationOutcome | null {
  if (row.creation !== null) return JSON.parse(row.creation) as CreationOutcome;
  if (row.creation_status === null || row.creation_body === null) return null;
  const { body } = JSON.parse(row.creation_body) as { body: Record<string, unknown> };
  if (row.creation_status < 300) return { kind: "placed", order: body as Order };
  const lines = body.lines as Extract<CreationOutcome, { kind: "refused" }>["lines"];
  return {
    kind: "refused",
    code: body.code as RefusalCode,
    detail: (body.detail as string | undefined) ?? "",
    errors: (body.errors as { path: string; message: string }[] | undefined) ?? [],
    ...(lines ? { lines } : {}),
  };
}

/**
 * How placing ended is fixed once it has (accepted or refused) and is what every retry with
 * the same Idempotency-Key gets back. An accepted order keeps its state after the steps that
 * followed immediately (e.g. `paid` when the card was charged at once).
 */
export function settleCreation(store: OrderStore): void {
  const row = store.row();
  if (row.status === "pending" || storedCreation(row) !== null) return;
  const placed: CreationOutcome = { kind: "placed", order: store.view() };
  store.apply({ patch: { creation: JSON.stringify(placed) } });
}

export function creationOutcome(store: OrderStore, replayed: boolean): PlaceOutcome {
  const creation = storedCreation(store.row());
  return creation ? { kind: "done", creation, replayed } : { kind: "accepted", body: store.view() };
}
