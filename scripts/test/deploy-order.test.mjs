// Deploy order: callees first, from the workers' real service bindings.
import assert from "node:assert/strict";
import { test } from "node:test";
import { callees, deployOrder } from "../deploy-order.mjs";

test("every worker deploys after the workers it calls", () => {
  const graph = callees();
  const all = deployOrder([...graph.keys()], graph);
  assert.equal(all.length, graph.size);
  for (const [w, calls] of graph) {
    for (const callee of calls) assert.ok(all.indexOf(callee) < all.indexOf(w), `${callee} before ${w}`);
  }
  assert.equal(all[0], "users");
  assert.equal(all.at(-1), "gateway");
  assert.ok(all.indexOf("payments") < all.indexOf("orders"));
  assert.ok(all.indexOf("products") < all.indexOf("orders"));
});

test("a subset keeps the same relative order", () => {
  assert.deepEqual(deployOrder(["gateway", "orders", "users"]), ["users", "orders", "gateway"]);
  assert.deepEqual(deployOrder([]), []);
});

test("a cycle of service bindings is refused", () => {
  const graph = new Map([
    ["a", ["b"]],
    ["b", ["a"]],
  ]);
  assert.throws(() => deployOrder(["a", "b"], graph), /cycle: a → b → a/);
});
