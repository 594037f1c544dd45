import type { OrderStore } from "./store";
import type { CreationOutcome, PlaceOutcome } from "./types";

/**
 * How placing ended is fixed once it has (accepted or refused) and is what every retry with
 * the same Idempotency-Key gets back. An accepted order keeps its state after the steps that
 * followed immediately (e.g. `paid` when the card was charged at once).
 */
export function settleCreation(store: OrderStore): void {
  const row = store.row();
  if (row.status === "pending" || row.creation !== null) return;
  const placed: CreationOutcome = { kind: "placed", order: store.view() };
  store.apply({ patch: { creation: JSON.stringify(placed) } });
}

export function creationOutcome(store: OrderStore, replayed: boolean): PlaceOutcome {
  const row = store.row();
  if (row.creation === null) return { kind: "accepted", body: store.view() };
  return { kind: "done", creation: JSON.parse(row.creation) as CreationOutcome, replayed };
}
