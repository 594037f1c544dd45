// The order in which workers deploy: a callee before its callers, so a caller never goes live
// against a neighbour that lacks what it calls (users → products, payments, notifications →
// orders → gateway). Derived from each worker's service bindings; a cycle is an error.
// Usage: node scripts/deploy-order.mjs '["gateway","users"]'   (no argument → every worker)
import { join } from "node:path";
import { experimental_readRawConfig } from "wrangler";
import { presentWorkers, ROOT } from "./system.mjs";

/** Worker → the workers it calls over service bindings (local names). */
export function callees(root = ROOT, workers = presentWorkers()) {
  const graph = new Map();
  for (const w of workers) {
    const { rawConfig } = experimental_readRawConfig({ config: join(root, "workers", w, "wrangler.toml") });
    graph.set(
      w,
      (rawConfig.services ?? []).map((s) => s.service).filter((s) => s !== w && workers.includes(s)),
    );
  }
  return graph;
}

/** `selected` in deploy order: every worker after all the workers it calls. */
export function deployOrder(selected, graph = callees()) {
  const order = [];
  const state = new Map(); // visiting | done
  const visit = (w, path) => {
    if (state.get(w) === "done") return;
    if (state.get(w) === "visiting") throw new Error(`service bindings form a cycle: ${[...path, w].join(" → ")}`);
    state.set(w, "visiting");
    for (const callee of graph.get(w) ?? []) visit(callee, [...path, w]);
    state.set(w, "done");
    order.push(w);
  };
  for (const w of [...graph.keys()].sort()) visit(w, []);
  return order.filter((w) => selected.includes(w));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const selected = process.argv[2] ? JSON.parse(process.argv[2]) : presentWorkers();
  console.log(JSON.stringify(deployOrder(selected)));
}
