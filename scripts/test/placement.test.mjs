// Where the deployed workers run (ADR 0038): the back end (orders, payments) is placed next to its
// data with Smart Placement in every environment; the edge (gateway, products' catalog, users,
// notifications) is not. The benchmark's `placed` geography models exactly these workers, and
// the call shapes it relies on (HTTP to a placed worker's fetch handler, RPC to the others) are
// the ones the configs declare.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { unstable_readConfig } from "wrangler";
import { PLACED_WORKERS } from "../../bench/geo.mjs";
import { presentWorkers, ROOT } from "../system.mjs";

const ENVIRONMENTS = [undefined, "staging", "production"];
const configOf = (worker, env) =>
  unstable_readConfig({ config: join(ROOT, "workers", worker, "wrangler.toml"), env }, { hideWarnings: true });

test("orders and payments are placed (smart) in every environment, and no other worker is", () => {
  const workers = presentWorkers();
  for (const w of ["orders", "payments"]) assert.ok(workers.includes(w), `${w} is part of the shop`);
  for (const env of ENVIRONMENTS) {
    const placed = workers.filter((w) => configOf(w, env).placement?.mode === "smart");
    assert.deepEqual(placed, ["orders", "payments"], `placed workers in ${env ?? "the top level"}`);
    for (const w of ["gateway", "products"].filter((x) => workers.includes(x)))
      assert.equal(configOf(w, env).placement, undefined, `${w} stays at the edge (${env ?? "top level"})`);
  }
});

test("the benchmark's placed geography places the same workers as the deployed configs", () => {
  const placed = presentWorkers().filter((w) => configOf(w, "production").placement?.mode === "smart");
  assert.deepEqual([...PLACED_WORKERS].sort(), placed.sort());
});

test("the gateway reaches placed workers over HTTP (placed), orders reaches products and payments over RPC (not placed)", () => {
  for (const env of ENVIRONMENTS) {
    const gateway = configOf("gateway", env).services ?? [];
    for (const binding of ["ORDERS", "PAYMENTS"]) {
      const svc = gateway.find((s) => s.binding === binding);
      assert.ok(svc, `gateway binds ${binding} (${env ?? "top level"})`);
      // No named entrypoint: the default export's fetch handler, which placement moves. The
      // harness's placed-hop is keyed by the binding's name (ORDERS → orders).
      assert.equal(svc.entrypoint, undefined);
      assert.ok(PLACED_WORKERS.includes(binding.toLowerCase()));
    }
    const orders = configOf("orders", env).services ?? [];
    for (const [binding, entrypoint] of [
      ["PRODUCTS", "ProductsRpc"],
      ["PAYMENTS", "PaymentsRpc"],
    ]) {
      // A named entrypoint runs on the caller's machine: next to the data when orders is placed
      // (meterD1(env, { invokedBy: "rpc" }) in their rpc.ts).
      assert.equal(orders.find((s) => s.binding === binding)?.entrypoint, entrypoint, `${binding} (${env ?? "top"})`);
    }
  }
});
