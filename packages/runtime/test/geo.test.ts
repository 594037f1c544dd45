import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { meterD1 } from "../src/harness/armed";
import { isolateRoundTrips } from "../src/harness/d1-round-trips";
import { type Geography, isRead, NEAR, placedHere, setGeography, tripsSince, withGeography } from "../src/harness/geo";

type Bindings = { DB: D1Database; ECHO: DurableObjectNamespace<import("./fixture-worker").Echo> };
const raw = env as unknown as Bindings;

const FAR: Geography = {
  name: "far",
  primaryMs: 40,
  replicaMs: 10,
  farDurableObjectMs: 30,
  farDurableObjects: ["ECHO"],
};

/** The same far shopper, with the back end (here: `orders`, or the fixture itself) next to the data. */
const placed = (...workers: string[]): Geography => ({ ...FAR, name: "placed", placed: workers });

/** Runs `fn` and returns how long it took and the trips it logged. */
async function timed(fn: () => Promise<unknown>) {
  const since = Date.now();
  await fn();
  await new Promise((r) => setTimeout(r, 0)); // let workerd's clock move past the last I/O
  return { ms: Date.now() - since, trips: tripsSince(since).map((x) => `${x.kind}:${x.target}`) };
}

afterEach(() => setGeography(NEAR));

describe("geography (benchmark delays, armed harness)", () => {
  it("adds nothing near: no delay and no trip logged", async () => {
    const db = withGeography(raw).DB;
    const r = await timed(() => db.prepare("select 1").first());
    expect(r.trips).toEqual([]);
  });

  it("delays every D1 round trip to the primary far away: a statement, a batch (one trip), exec", async () => {
    setGeography(FAR);
    const db = withGeography(raw).DB;
    const one = await timed(() => db.prepare("select ?").bind(1).first());
    expect(one.trips).toEqual(["d1-primary:D1"]);
    expect(one.ms).toBeGreaterThanOrEqual(40);
    const batch = await timed(() => db.batch([db.prepare("select 1"), db.prepare("select ?").bind(2)]));
    expect(batch.trips).toEqual(["d1-primary:D1"]);
    const exec = await timed(() => db.exec("select 1"));
    expect(exec.trips).toEqual(["d1-primary:D1"]);
  });

  it("sends a session's reads to a replica, its writes and a first-primary first query to the primary", async () => {
    setGeography(FAR);
    const db = withGeography(raw).DB;
    await raw.DB.exec("create table if not exists geo_t (n integer)");
    const pinned = db.withSession("first-primary");
    const r = await timed(async () => {
      await pinned.prepare("select 1").first(); // first query: the primary
      await pinned.prepare("select 2").first(); // then a replica
      await pinned.prepare("insert into geo_t (n) values (?)").bind(1).run(); // a write: the primary
      await pinned.batch([pinned.prepare("select 1"), pinned.prepare("select 2")]); // reads only: a replica
    });
    expect(r.trips).toEqual(["d1-primary:D1", "d1-replica:D1", "d1-primary:D1", "d1-replica:D1"]);
    const loose = db.withSession("first-unconstrained");
    const l = await timed(() => loose.prepare("with x as (select 1) select * from x").first());
    expect(l.trips).toEqual(["d1-replica:D1"]);
  });

  it("tells reads from writes by their SQL", () => {
    expect(isRead("SELECT * FROM t")).toBe(true);
    expect(isRead("  with a as (select 1) select * from a")).toBe(true);
    expect(isRead("with a as (select 1) insert into t select * from a")).toBe(false);
    expect(isRead("insert into t values (1) returning *")).toBe(false);
    expect(isRead("pragma table_info(t)")).toBe(true);
    expect(isRead("pragma foreign_keys = on")).toBe(false);
  });

  it("delays calls to a far Durable Object namespace's stubs, and only when the geography names it", async () => {
    const near = await timed(() => withGeography(raw).ECHO.getByName("a").echo("hi"));
    expect(near.trips).toEqual([]);
    setGeography(FAR);
    const bindings = withGeography(raw);
    const stub = bindings.ECHO.get(bindings.ECHO.idFromName("a"));
    expect((stub as unknown as { then?: unknown }).then).toBeUndefined();
    let answer: unknown;
    const far = await timed(async () => {
      answer = await stub.echo("hi");
    });
    expect(answer).toBe("hi");
    expect(far.trips).toEqual(["durable-object:ECHO"]);
    expect(far.ms).toBeGreaterThanOrEqual(30);
    setGeography({ ...FAR, farDurableObjects: [] });
    expect((await timed(() => withGeography(raw).ECHO.getByName("a").echo("x"))).trips).toEqual([]);
  });

  it("counts and delays together for entry points outside the app (meterD1), and stays one wrapper", async () => {
    setGeography(FAR);
    const metered = meterD1(raw);
    const before = isolateRoundTrips();
    const r = await timed(() => metered.DB.batch([metered.DB.prepare("select 1"), metered.DB.prepare("select 2")]));
    expect(isolateRoundTrips()).toBe(before + 1);
    expect(r.trips).toEqual(["d1-primary:D1"]);
    expect(meterD1(metered)).toBe(metered);
  });

  it("is set and read over /__geo; a request's trips show up there with their times", async () => {
    const bad = await SELF.fetch("https://x/__geo", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "far", primaryMs: -1 }),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const put = await SELF.fetch("https://x/__geo", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(FAR),
    });
    expect(put.status).toBe(200);
    const since = Date.now();
    const trips = await SELF.fetch("https://x/trips"); // a first() then a batch
    expect(trips.status, await trips.clone().text()).toBe(200);
    const got = (await (await SELF.fetch(`https://x/__geo?since=${since}`)).json()) as {
      geography: Geography;
      trips: { kind: string; start: number; end: number }[];
    };
    expect(got.geography.name).toBe("far");
    expect(got.trips.map((t) => t.kind)).toEqual(["d1-primary", "d1-primary"]);
    const [first, second] = got.trips;
    expect(second?.start).toBeGreaterThanOrEqual(first?.end ?? Number.POSITIVE_INFINITY);
  });
});

describe("placed geography (back-end workers next to their data, ADR 0038)", () => {
  it("a placed worker's own D1 trips and far Durable Object calls cost nothing extra", async () => {
    setGeography(placed("fixture"), "fixture");
    expect(placedHere()).toBe(true);
    const bindings = withGeography(raw);
    const r = await timed(async () => {
      await bindings.DB.prepare("select 1").first();
      await bindings.DB.batch([bindings.DB.prepare("select 1")]);
      await bindings.DB.withSession("first-primary").prepare("select 1").first();
      await bindings.ECHO.getByName("a").echo("hi");
    });
    expect(r.trips).toEqual([]);
    // The same isolate as another worker, not placed: the far shopper's delays, as in `far`.
    setGeography(placed("orders"), "gateway");
    expect(placedHere()).toBe(false);
    const edge = withGeography(raw);
    const far = await timed(async () => {
      await edge.DB.prepare("select 1").first();
      await edge.ECHO.getByName("a").echo("hi");
    });
    expect(far.trips).toEqual(["d1-primary:D1", "durable-object:ECHO"]);
  });

  it("an RPC callee runs on its placed caller's machine: near once any worker is placed, far otherwise", async () => {
    setGeography(placed("orders"), "products");
    const rpc = meterD1(raw, { invokedBy: "rpc" });
    const near = await timed(async () => {
      await rpc.DB.prepare("select 1").first();
      await rpc.DB.withSession("first-unconstrained").prepare("select 1").first();
    });
    expect(near.trips).toEqual([]);
    // The same worker's fetch handler (catalog reads from the gateway) stays at the edge.
    const http = await timed(() => withGeography(raw).DB.prepare("select 1").first());
    expect(http.trips).toEqual(["d1-primary:D1"]);
    // Nothing placed (`far`): the callee runs with its edge caller and pays the primary's delay.
    setGeography(FAR, "products");
    const far = await timed(() => meterD1(raw, { invokedBy: "rpc" }).DB.prepare("select 1").first());
    expect(far.trips).toEqual(["d1-primary:D1"]);
  });

  it("a fetch over a service binding to a placed worker pays one far hop; RPC, unplaced targets and placed callers none", async () => {
    const services = { ORDERS: SELF, PRODUCTS: SELF };
    setGeography(placed("orders"), "gateway");
    const gateway = withGeography(services);
    let res: Response | undefined;
    const hop = await timed(async () => {
      res = await gateway.ORDERS.fetch("https://x/things", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "a", qty: 1 }),
      });
    });
    expect(res?.status).toBe(201);
    expect(hop.trips).toEqual(["placed-hop:ORDERS"]);
    expect(hop.ms).toBeGreaterThanOrEqual(40);
    // products is not placed: the gateway reaches it in its own colo.
    expect((await timed(() => gateway.PRODUCTS.fetch("https://x/step"))).trips).toEqual([]);
    // From a placed worker (already there) or in `far` (nothing placed): no hop.
    setGeography(placed("orders", "payments"), "payments");
    expect((await timed(() => withGeography(services).ORDERS.fetch("https://x/step"))).trips).toEqual([]);
    setGeography(FAR, "gateway");
    expect((await timed(() => withGeography(services).ORDERS.fetch("https://x/step"))).trips).toEqual([]);
  });

  it("learns its own worker's name over /__geo: the fixture placed makes no far trip", async () => {
    const put = await SELF.fetch("https://x/__geo", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(placed("fixture")),
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const since = Date.now();
    expect((await SELF.fetch("https://x/trips")).status).toBe(200);
    const got = (await (await SELF.fetch(`https://x/__geo?since=${since}`)).json()) as { trips: unknown[] };
    expect(got.trips).toEqual([]);
    const bad = await SELF.fetch("https://x/__geo", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...FAR, placed: "orders" }),
    });
    expect(bad.status).toBe(400);
  });
});
