// Geography for the benchmark: the one place its delays are chosen, with where the numbers come
// from, and the pure logic that turns logged trips into "sequential far round trips on the
// critical path". The armed harness applies the delays (packages/runtime/src/harness/geo.ts,
// set over PUT /__geo); production builds have none of it (ADR 0015).
//
// The model. A worker runs in the colo nearest the shopper; service bindings keep the callee in
// that colo — except the workers a geography places (`placed`, below). What can be far:
//   - D1: a database has ONE primary; without the Sessions API every query goes to it; with a
//     session (`env.DB.withSession(...)`) reads may be served by a read replica in a region near
//     the caller, writes still go to the primary.
//       https://developers.cloudflare.com/d1/best-practices/read-replication/
//       ("To use read replication, you must use the D1 Sessions API, otherwise all queries will
//       continue to be executed only by the primary database"; replicas are created "in each
//       supported D1 region" — changelog 2025-04-10-d1-read-replication-beta)
//       https://blog.cloudflare.com/d1-read-replication-beta/ (routing to nearby replicas)
//   - Durable Objects: an object lives where it was first created. CartDO (`user:<id>` or
//     `guest:<crt_id>`) and OrderDO (one per order) are created by the shopper's own request, so
//     they live near that shopper and are modelled near (their own D1 trips still pay the
//     primary delay). The OrderNumberDO shards (`shard-0..7`, binding ORDER_NUMBERS) are eight
//     objects shared by every order, created by the first orders the shop ever took — where it
//     launched, next to its D1 primaries — so a far shopper's OrderDO pays a far trip per call.
//
// Placement (geography `placed`; ADR 0038). orders and payments set `[placement] mode = "smart"`
// in production. Cloudflare's placement docs
//   https://developers.cloudflare.com/workers/configuration/placement/
//   (cloudflare/cloudflare-docs src/content/docs/workers/configuration/placement.mdx)
// say Smart Placement moves a Worker's fetch handler next to its back end, that RPC methods and
// named entrypoints are not placed (a Worker called over RPC runs on its caller's machine), and
// recommend an edge Worker (auth, routing, caching) calling a placed back-end Worker; and
// "Workers with D1 bindings are always placed near their bound databases"
//   https://github.com/cloudflare/cloudflare-docs/pull/11566
// So, for the same far shopper:
//   - a placed worker (its fetch handler, its queue consumers, alarms and the Durable Objects it
//     creates — CartDO, OrderDO, and ORDER_NUMBERS, created where the shop launched) runs next
//     to the D1 primaries: its D1 trips and Durable Object calls cost nothing extra;
//   - products' and payments' RPC entrypoints, which only orders calls, run on orders' machine:
//     near too (packages/runtime's meterD1(env, { invokedBy: "rpc" }));
//   - the gateway's fetch to a placed worker (ORDERS, PAYMENTS service bindings → their fetch
//     handler) crosses to the placed colo and back: one far round trip, `placed-hop`;
//   - products' fetch handler (the catalog the gateway forwards) and users stay at the edge and
//     pay the primary's delay as in `far`.
// Local `wrangler dev` ignores placement: only this model shows its effect here.
//
// The numbers.
//   - 75 ms to a far primary or object: one intercontinental / coast-to-coast round trip. The
//     WonderProxy city-to-city ping table (https://wonderproxy.com/blog/miles-per-milisecond/,
//     live data at https://wondernetwork.com/pings) gives New York–Paris 78 ms and New York–
//     Fremont 77 ms; farther pairs reach 250–350 ms (Sydney–Paris 349 ms), and the design notes
//     take 70–250 ms as the published range. 75 ms is its low end: a conservative far shopper.
//     It counts the network round trip only, not the query's execution (an estimate).
//   - 5 ms to a read replica: ESTIMATE — a replica in the D1 region nearest the colo (same
//     metro or one country away); Cloudflare publishes no replica latency figure.
//   - near: 0 extra (the local bindings' own cost only).

/** @typedef {{ name: string, primaryMs: number, replicaMs: number, farDurableObjectMs: number, farDurableObjects: string[], placed: string[] }} Geography */

/** The far round trip, in ms: a D1 primary or a Durable Object in another region. */
export const FAR_ROUND_TRIP_MS = 75;
/** A read served by a nearby D1 read replica (estimate; see above). */
export const REPLICA_ROUND_TRIP_MS = 5;
/** Durable Object namespaces (binding names) whose objects live far from a far shopper. */
export const FAR_DURABLE_OBJECTS = ["ORDER_NUMBERS"];

/** Workers placed next to the D1 primaries in production (`[placement] mode = "smart"`; ADR 0038). */
export const PLACED_WORKERS = ["orders", "payments"];

const FAR = {
  name: "far",
  primaryMs: FAR_ROUND_TRIP_MS,
  replicaMs: REPLICA_ROUND_TRIP_MS,
  farDurableObjectMs: FAR_ROUND_TRIP_MS,
  farDurableObjects: FAR_DURABLE_OBJECTS,
  placed: [],
};

/** @type {Record<"near" | "far" | "placed", Geography>} */
export const GEOGRAPHIES = {
  near: { name: "near", primaryMs: 0, replicaMs: 0, farDurableObjectMs: 0, farDurableObjects: [], placed: [] },
  far: FAR,
  /** The far shopper, with the back end placed next to its data. */
  placed: { ...FAR, name: "placed", placed: PLACED_WORKERS },
};

/**
 * Scenarios measured in `placed`: those that reach a placed worker. The others (catalog reads)
 * never leave the edge, so their rows would be `far`'s.
 */
export const PLACED_SCENARIOS = new Set(["cart-add", "checkout", "checkout-storefront", "checkout-open"]);

/** Whether a scenario is measured in a geography. */
export function measuredIn(geo, key) {
  return geo.placed.length === 0 || PLACED_SCENARIOS.has(key);
}

/**
 * Trip kinds that are far: a replica read is near, whatever it costs; a `placed-hop` is the
 * request crossing from the shopper's colo to a placed worker's and back.
 */
export const FAR_KINDS = new Set(["d1-primary", "durable-object", "placed-hop"]);

/** `--geo near|far|placed|both|all` → the geographies to measure, in order (both = near, far). */
export function geographiesOf(flag = "both") {
  if (flag === "both") return [GEOGRAPHIES.near, GEOGRAPHIES.far];
  if (flag === "all") return [GEOGRAPHIES.near, GEOGRAPHIES.far, GEOGRAPHIES.placed];
  const geo = Object.hasOwn(GEOGRAPHIES, flag) ? GEOGRAPHIES[flag] : undefined;
  if (!geo) throw new Error(`--geo must be near, far, placed, both or all (got ${flag})`);
  return [geo];
}

/**
 * Sequential far round trips on a request's critical path, from the trips every worker logged
 * ({ kind, start, end } in ms since the epoch): the longest chain of far trips in which each
 * starts at or after the previous one ended. Trips that overlap in time ran concurrently and
 * count once; trips outside [from, to] (the request's own window, `slack` ms either side for
 * clock granularity) ran before it or after it answered (queues, alarms) and do not count.
 * Greedy by earliest end: the classic maximum set of non-overlapping intervals.
 */
export function criticalChain(trips, { from = -Infinity, to = Infinity, slack = 2 } = {}) {
  const inside = trips
    .filter((t) => FAR_KINDS.has(t.kind) && t.start >= from - slack && t.end <= to + slack)
    .sort((a, b) => a.end - b.end || a.start - b.start);
  let count = 0;
  let lastEnd = -Infinity;
  for (const t of inside) {
    if (t.start >= lastEnd) {
      count++;
      lastEnd = t.end;
    }
  }
  return count;
}

/** The cross-check: extra latency far over near in whole far round trips (unloaded requests). */
export function tripsFromLatency(farMs, nearMs, tripMs = FAR_ROUND_TRIP_MS) {
  if (!Number.isFinite(farMs) || !Number.isFinite(nearMs)) return null;
  return Math.max(0, Math.round((farMs - nearMs) / tripMs));
}

/**
 * Arrival times (ms from the start) of an open loop at `perSecond` for `seconds`: evenly spaced,
 * so the offered load does not depend on how fast the system answers.
 */
export function arrivals(perSecond, seconds) {
  if (!(perSecond > 0) || !(seconds > 0)) return [];
  const n = Math.floor(perSecond * seconds);
  return Array.from({ length: n }, (_, i) => (i * 1000) / perSecond);
}

/** The `q` quantile (0..1) of sorted numbers, rounded; 0 when there are none. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
}

/** The median of numbers (not necessarily sorted); null when there are none. */
export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
