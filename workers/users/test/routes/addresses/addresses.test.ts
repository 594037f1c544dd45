import { env } from "cloudflare:workers";
import {
  type Address,
  type AddressList,
  addressFieldErrors,
  MAX_ADDRESSES,
  SUPPORTED_COUNTRIES,
} from "@shop/contracts/addresses";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem, signedInCustomer } from "../../helpers";

type Customer = Awaited<ReturnType<typeof signedInCustomer>>;

const BERLIN = {
  name: "Ada Lovelace",
  line1: "Unter den Linden 1",
  city: "Berlin",
  postalCode: "10117",
  country: "DE",
};

async function add(who: Customer, body: Record<string, unknown>, headers?: Record<string, string>) {
  return call("POST", "/users/me/addresses", { token: who.tokens.accessToken, body, headers });
}
async function added(who: Customer, body: Record<string, unknown> = BERLIN): Promise<Address> {
  const res = await add(who, body);
  expect(res.status).toBe(201);
  return (await res.json()) as Address;
}
async function list(who: Customer): Promise<Address[]> {
  const res = await call("GET", "/users/me/addresses", { token: who.tokens.accessToken });
  expect(res.status).toBe(200);
  return ((await res.json()) as AddressList).items;
}
const patch = (who: Customer, id: string, body: unknown) =>
  call("PATCH", `/users/me/addresses/${id}`, { token: who.tokens.accessToken, body });
const defaultsInDb = async (userId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM addresses WHERE user_id = ? AND is_default_shipping = 1")
      .bind(userId)
      .first<{ n: number }>()
  )?.n;

let ada: Customer;
beforeAll(async () => {
  ada = await signedInCustomer();
});

describe("address book CRUD", () => {
  it("adds, lists, edits and deletes an address", async () => {
    const me = await signedInCustomer();
    expect(await list(me)).toEqual([]);
    const a = await added(me, { ...BERLIN, line2: "Hinterhaus", phone: "+4930123456" });
    expect(a).toMatchObject({ ...BERLIN, line2: "Hinterhaus", region: null, isDefaultShipping: false });
    expect(a.id).toMatch(/^adr_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(await list(me)).toEqual([a]);

    const res = await patch(me, a.id, { line1: "Pariser Platz 2", line2: null });
    expect(res.status).toBe(200);
    const edited = (await res.json()) as Address;
    expect(edited).toMatchObject({ line1: "Pariser Platz 2", line2: null, postalCode: "10117" });
    // The same PATCH again: the same address (absolute values).
    const again = (await (await patch(me, a.id, { line1: "Pariser Platz 2", line2: null })).json()) as Address;
    expect({ ...again, updatedAt: "" }).toEqual({ ...edited, updatedAt: "" });

    const del = await call("DELETE", `/users/me/addresses/${a.id}`, { token: me.tokens.accessToken });
    expect(del.status).toBe(204);
    await expectProblem(await call("DELETE", `/users/me/addresses/${a.id}`, { token: me.tokens.accessToken }), 404);
    expect(await list(me)).toEqual([]);
  });

  it("normalizes postal codes and regions to upper case", async () => {
    const a = await added(ada, {
      name: "Ada",
      line1: "10 Downing St",
      city: "London",
      postalCode: " sw1a 2aa ",
      country: "GB",
    });
    expect(a.postalCode).toBe("SW1A 2AA");
    const us = await added(ada, { ...BERLIN, city: "Boston", postalCode: "02108", country: "US", region: "ma" });
    expect(us.region).toBe("MA");
  });

  it("refuses unknown fields and a bad id with 400", async () => {
    const p = await expectProblem(await add(ada, { ...BERLIN, userId: ada.user.id }), 400);
    expect(p.errors).toEqual([{ path: "userId", message: "is not a known field" }]);
    await expectProblem(await patch(ada, "not-an-id", { city: "X" }), 400);
  });
});

describe("the default shipping address", () => {
  it("moves to the address marked default; at most one is", async () => {
    const me = await signedInCustomer();
    const a = await added(me, { ...BERLIN, isDefaultShipping: true });
    expect(a.isDefaultShipping).toBe(true);
    const b = await added(me, { ...BERLIN, line1: "Zweite Str. 2", isDefaultShipping: true });
    expect(b.isDefaultShipping).toBe(true);
    let items = await list(me);
    expect(items.map((i) => [i.id, i.isDefaultShipping])).toEqual([
      [b.id, true],
      [a.id, false],
    ]);
    await patch(me, a.id, { isDefaultShipping: true });
    items = await list(me);
    expect(items.map((i) => [i.id, i.isDefaultShipping])).toEqual([
      [a.id, true],
      [b.id, false],
    ]);
    // `false` on the default leaves none.
    expect(((await (await patch(me, a.id, { isDefaultShipping: false })).json()) as Address).isDefaultShipping).toBe(
      false,
    );
    expect(await defaultsInDb(me.user.id)).toBe(0);
  });

  it("concurrent 'make default' requests leave exactly one default", async () => {
    const me = await signedInCustomer();
    const all = [];
    for (let i = 0; i < 6; i++) all.push(await added(me, { ...BERLIN, line1: `Weg ${i}` }));
    const answers = await Promise.all(all.map((a) => patch(me, a.id, { isDefaultShipping: true })));
    expect(answers.map((r) => r.status)).toEqual(all.map(() => 200));
    expect(await defaultsInDb(me.user.id)).toBe(1);
    const posts = await Promise.all(
      [1, 2, 3, 4].map((i) => add(me, { ...BERLIN, line1: `Neu ${i}`, isDefaultShipping: true })),
    );
    expect(posts.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(await defaultsInDb(me.user.id)).toBe(1);
    expect((await list(me)).filter((a) => a.isDefaultShipping)).toHaveLength(1);
  });

  it("the database itself refuses a second default", async () => {
    const me = await signedInCustomer();
    const a = await added(me, { ...BERLIN, isDefaultShipping: true });
    const b = await added(me);
    await expect(
      env.DB.prepare("UPDATE addresses SET is_default_shipping = 1 WHERE id = ?").bind(b.id).run(),
    ).rejects.toThrow(/UNIQUE/);
    expect((await list(me))[0]?.id).toBe(a.id);
  });
});

describe("another user's address", () => {
  it("is 404 for PATCH and DELETE, is not listed, and stays untouched", async () => {
    const owner = await signedInCustomer();
    const a = await added(owner, { ...BERLIN, isDefaultShipping: true });
    const intruder = await signedInCustomer();
    const b = await added(intruder);
    await expectProblem(await patch(intruder, a.id, { city: "Elsewhere" }), 404);
    await expectProblem(await patch(intruder, a.id, { isDefaultShipping: true }), 404);
    await expectProblem(
      await call("DELETE", `/users/me/addresses/${a.id}`, { token: intruder.tokens.accessToken }),
      404,
    );
    expect((await list(intruder)).map((x) => x.id)).toEqual([b.id]);
    expect(await list(owner)).toEqual([a]);
  });
});

describe("per-user limit", () => {
  it(`keeps at most ${MAX_ADDRESSES} addresses: the next is 409 and nothing is saved`, async () => {
    const me = await signedInCustomer();
    const now = new Date().toISOString();
    const fill = Array.from({ length: MAX_ADDRESSES - 1 }, (_, i) =>
      env.DB.prepare(
        "INSERT INTO addresses (id, user_id, name, line1, city, postal_code, country, created_at, updated_at) VALUES (?, ?, 'A', 'L', 'C', '10117', 'DE', ?, ?)",
      ).bind(`adr_fill${String(i).padStart(22, "0")}`.slice(0, 30) + me.user.id.slice(-4), me.user.id, now, now),
    );
    await env.DB.batch(fill);
    await added(me);
    const refused = await expectProblem(await add(me, BERLIN), 409);
    expect(refused.errors).toEqual([{ path: "addresses", message: `at most ${MAX_ADDRESSES}` }]);
    expect(await list(me)).toHaveLength(MAX_ADDRESSES);
  });
});

describe("Idempotency-Key on POST", () => {
  it("the same key and body answer the same address once; another body → 422", async () => {
    const me = await signedInCustomer();
    const headers = { "idempotency-key": `addr-${crypto.randomUUID()}` };
    const [r1, r2] = await Promise.all([add(me, BERLIN, headers), add(me, BERLIN, headers)]);
    const [a1, a2] = [(await r1.json()) as Address, (await r2.json()) as Address];
    expect([r1.status, r2.status]).toEqual([201, 201]);
    expect(a1.id).toBe(a2.id);
    const r3 = await add(me, BERLIN, headers);
    expect(r3.headers.get("idempotent-replayed")).toBe("true");
    expect(((await r3.json()) as Address).id).toBe(a1.id);
    expect(await list(me)).toHaveLength(1);
    const reused = await expectProblem(await add(me, { ...BERLIN, city: "Potsdam" }, headers), 422);
    expect(reused.code).toBe("idempotency_key_reused");
  });
});

describe("validation per country", () => {
  const base = { name: "Ada", line1: "1 Main St", city: "Town" };
  const valid: [string, string, string?][] = [
    ["US", "94105", "CA"],
    ["US", "94105-1234", "NY"],
    ["CA", "K1A 0B1", "ON"],
    ["GB", "SW1A 1AA"],
    ["GB", "EC1A 1BB"],
    ["DE", "10117"],
    ["FR", "75008"],
    ["NL", "1012 JS"],
    ["IE", "D02 X285"],
    ["ES", "28013"],
    ["IT", "00184"],
    ["AT", "1010"],
    ["BE", "1000"],
    ["SE", "114 55"],
    ["CH", "8001"],
    ["AU", "2000"],
    ["JP", "100-0001"],
  ];
  it.each(valid)("%s %s (region %s) is accepted", async (country, postalCode, region) => {
    const res = await add(ada, { ...base, country, postalCode, ...(region ? { region } : {}) });
    expect(res.status).toBe(201);
  });

  const invalid: [string, Record<string, string>, string[]][] = [
    ["US 4-digit ZIP", { country: "US", postalCode: "9410", region: "CA" }, ["postalCode"]],
    ["US without a state", { country: "US", postalCode: "94105" }, ["region"]],
    ["US with an unknown state", { country: "US", postalCode: "94105", region: "XX" }, ["region"]],
    ["US both wrong", { country: "US", postalCode: "ABCDE", region: "California" }, ["postalCode", "region"]],
    ["CA US-style ZIP", { country: "CA", postalCode: "94105", region: "ON" }, ["postalCode"]],
    ["CA without a province", { country: "CA", postalCode: "K1A 0B1" }, ["region"]],
    ["GB digits only", { country: "GB", postalCode: "12345" }, ["postalCode"]],
    ["DE 4 digits", { country: "DE", postalCode: "1011" }, ["postalCode"]],
    ["DE letters", { country: "DE", postalCode: "ABCDE" }, ["postalCode"]],
    ["FR 6 digits", { country: "FR", postalCode: "750080" }, ["postalCode"]],
    ["NL no letters", { country: "NL", postalCode: "1012" }, ["postalCode"]],
    ["AT 5 digits", { country: "AT", postalCode: "10100" }, ["postalCode"]],
    ["CH letters", { country: "CH", postalCode: "80A1" }, ["postalCode"]],
    ["AU 5 digits", { country: "AU", postalCode: "20000" }, ["postalCode"]],
    ["JP 5 digits", { country: "JP", postalCode: "10000" }, ["postalCode"]],
    ["SE 4 digits", { country: "SE", postalCode: "1145" }, ["postalCode"]],
  ];
  it.each(invalid)("%s → 400 naming %j", async (_what, fields, paths) => {
    const problem = await expectProblem(await add(ada, { ...base, ...fields }), 400);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(paths);
  });

  it("an unsupported country → 400 naming country", async () => {
    const problem = await expectProblem(await add(ada, { ...base, country: "XK", postalCode: "10000" }), 400);
    expect(problem.errors?.map((e) => e.path)).toEqual(["country"]);
  });

  it("an edit is checked on the merged address: a new country needs a fitting postal code", async () => {
    const a = await added(ada);
    const problem = await expectProblem(await patch(ada, a.id, { country: "NL" }), 400);
    expect(problem.errors?.map((e) => e.path)).toEqual(["postalCode"]);
    const usWithoutState = await expectProblem(await patch(ada, a.id, { country: "US" }), 400);
    expect(usWithoutState.errors?.map((e) => e.path)).toEqual(["region"]);
    const ok = await patch(ada, a.id, { country: "US", region: "CA", postalCode: "94105" });
    expect(ok.status).toBe(200);
  });

  it("every supported country has a postal code pattern (the library throws for one it does not know)", () => {
    expect(SUPPORTED_COUNTRIES.length).toBeGreaterThanOrEqual(15);
    for (const country of SUPPORTED_COUNTRIES) {
      expect(() => addressFieldErrors({ country, postalCode: "0", region: null }), country).not.toThrow();
    }
    expect(() => addressFieldErrors({ country: "ZZ" as "DE", postalCode: "0" })).toThrow();
  });
});
