import { reserveStock } from "../services/reservations/reserve";

/**
 * The products worker's test harness as production builds have it: the one reserve there is.
 * `#harness` resolves here by default; battery builds alias it to ./armed.ts (ADR 0015).
 */
export function reserveFor(_env: unknown): typeof reserveStock {
  return reserveStock;
}
