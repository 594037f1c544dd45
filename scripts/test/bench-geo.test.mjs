// The benchmark's geography logic (bench/geo.mjs): counting sequential far round trips on a
// critical path from the trips the workers logged, and the open loop's arrival schedule.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  arrivals,
  criticalChain,
  GEOGRAPHIES,
  geographiesOf,
  measuredIn,
  median,
  quantile,
  tripsFromLatency,
} from "../../bench/geo.mjs";

const trip = (start, end, kind = "d1-primary") => ({ kind, target: "D1", start, end });

test("trips one after another each count", () => {
  assert.equal(criticalChain([trip(0, 75), trip(75, 150), trip(160, 235)]), 3);
});

test("concurrent trips count once, however many overlap", () => {
  // A Promise.all of three queries, then one more.
  assert.equal(criticalChain([trip(0, 75), trip(1, 76), trip(2, 77), trip(80, 155)]), 2);
});

test("the longest chain wins when concurrent trips are staggered", () => {
  // A and B overlap; C starts after A ended but while B still runs: A then C is the chain.
  assert.equal(criticalChain([trip(0, 75), trip(10, 85), trip(80, 155)]), 2);
  // Order of the log does not matter.
  assert.equal(criticalChain([trip(80, 155), trip(10, 85), trip(0, 75)]), 2);
});

test("replica reads are not far, Durable Object calls are", () => {
  assert.equal(criticalChain([trip(0, 5, "d1-replica"), trip(5, 80, "durable-object"), trip(80, 85, "d1-replica")]), 1);
});

test("only trips inside the request's window count (before it, or after it answered, do not)", () => {
  const trips = [trip(-200, -125), trip(0, 75), trip(75, 150), trip(400, 475)];
  assert.equal(criticalChain(trips, { from: 0, to: 160 }), 2);
  // A couple of ms of clock granularity either side is tolerated.
  assert.equal(criticalChain([trip(-1, 74), trip(75, 161)], { from: 0, to: 160 }), 2);
  assert.equal(criticalChain([], { from: 0, to: 160 }), 0);
});

test("the latency cross-check rounds extra latency to whole far trips", () => {
  assert.equal(tripsFromLatency(312, 10), 4);
  assert.equal(tripsFromLatency(5, 10), 0);
  assert.equal(tripsFromLatency(null, 10), null);
});

test("a hop to a placed worker is far", () => {
  assert.equal(criticalChain([trip(0, 75, "placed-hop"), trip(75, 80, "d1-replica"), trip(90, 165)]), 2);
});

test("--geo picks near, far, placed, both or all, and refuses anything else", () => {
  assert.deepEqual(
    geographiesOf().map((g) => g.name),
    ["near", "far"],
  );
  assert.deepEqual(
    geographiesOf("far").map((g) => g.name),
    ["far"],
  );
  assert.deepEqual(
    geographiesOf("all").map((g) => g.name),
    ["near", "far", "placed"],
  );
  assert.deepEqual(
    geographiesOf("placed").map((g) => g.name),
    ["placed"],
  );
  assert.throws(() => geographiesOf("moon"), /near, far, placed, both or all/);
  assert.throws(() => geographiesOf("toString"), /near, far, placed, both or all/);
  assert.equal(GEOGRAPHIES.near.primaryMs, 0);
  assert.ok(GEOGRAPHIES.far.primaryMs > GEOGRAPHIES.far.replicaMs);
});

test("placed is the far shopper with orders and payments next to the data, measured where they are reached", () => {
  const { far, placed, near } = GEOGRAPHIES;
  assert.deepEqual({ ...placed, name: "far", placed: [] }, far);
  assert.deepEqual(placed.placed, ["orders", "payments"]);
  assert.deepEqual(far.placed, []);
  assert.ok(measuredIn(placed, "checkout") && measuredIn(placed, "cart-add"));
  assert.ok(!measuredIn(placed, "list-cached") && !measuredIn(placed, "mix"));
  assert.ok(measuredIn(far, "list-cached") && measuredIn(near, "mix"));
});

test("an open loop arrives evenly at its rate, whatever the answers", () => {
  assert.deepEqual(arrivals(4, 1), [0, 250, 500, 750]);
  assert.equal(arrivals(9.5, 10).length, 95);
  assert.deepEqual(arrivals(0, 10), []);
});

test("quantiles and medians", () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(quantile(sorted, 0.5), 51);
  assert.equal(quantile(sorted, 0.99), 100);
  assert.equal(quantile([], 0.5), 0);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), null);
});
