import type { OrderStore } from "./store";
import type { PlaceOutcome } from "./types";

type StoredResponse = { contentType?: string; body: unknown };

/**
 * The first response to `POST /orders` is fixed once placing has finished (accepted or
 * rejected) and is what every retry with the same Idempotency-Key gets back. An accepted
 * order is answered with its state after the steps that followed immediately (e.g. `paid`
 * when the card was charged at once).
 */
export function settleCreation(store: OrderStore): void {
  const row = store.row();
  if (row.status === "pending" || row.creation_status !== null) return;
  store.apply({ patch: { creation_status: 201, creation_body: JSON.stringify({ body: store.view() }) } });
}

export function creationOutcome(store: OrderStore, replayed: boolean): PlaceOutcome {
  const row = store.row();
  if (row.creation_status === null || row.creation_body === null) return { kind: "accepted", body: store.view() };
  const stored = JSON.parse(row.creation_body) as StoredResponse;
  return { kind: "done", status: row.creation_status, body: stored.body, replayed };
}
