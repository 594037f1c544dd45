import { faultArmed } from "@shop/runtime";
import { reserveStock } from "../services/reservations/reserve";
import { reserveUnguarded } from "./reserve-unguarded";

/**
 * Battery builds: while the fault switch `products.reserve.unguarded` is armed, reserve with a
 * deliberately broken read-then-write, the battery's proof that it would catch an oversell.
 */
export function reserveFor(env: unknown): typeof reserveStock {
  return faultArmed(env, "products.reserve.unguarded") ? reserveUnguarded : reserveStock;
}
