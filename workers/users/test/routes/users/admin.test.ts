import type { User, UserPage } from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem, registerUser, signedInAdmin, signedInCustomer } from "../../helpers";

let admin: string;
let customer: string;

beforeAll(async () => {
  admin = (await signedInAdmin()).tokens.accessToken;
  customer = (await signedInCustomer()).tokens.accessToken;
});

describe("GET /users (admin)", () => {
  it("pages through every user newest first without duplicates or gaps", async () => {
    for (let i = 0; i < 3; i++) await registerUser();
    const all = (await (await call("GET", "/users?limit=100", { token: admin })).json()) as UserPage;
    expect(all.items.length).toBeGreaterThanOrEqual(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const res = await call("GET", `/users${query}`, { token: admin });
      expect(res.status).toBe(200);
      const page = (await res.json()) as UserPage;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((u) => u.id));
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it("filters by email, whatever its case", async () => {
    const { email, user } = await registerUser();
    const res = await call("GET", `/users?email=${encodeURIComponent(email.toUpperCase())}`, { token: admin });
    const page = (await res.json()) as UserPage;
    expect(page.items.map((u) => u.id)).toEqual([user.id]);
    expect(page.nextCursor).toBeNull();
  });

  it("never lists a password hash", async () => {
    const text = await (await call("GET", "/users?limit=100", { token: admin })).text();
    expect(text).not.toMatch(/pbkdf2|passwordHash|password_hash/);
  });

  it.each([
    ["limit=101", "limit"],
    ["limit=0", "limit"],
    ["cursor=not-a-cursor!", "cursor"],
    ["email=nope", "email"],
    ["colour=red", "colour"],
  ])("answers 400 for %s naming the parameter", async (query, field) => {
    const problem = await expectProblem(await call("GET", `/users?${query}`, { token: admin }), 400);
    expect(problem.errors?.map((e) => e.path)).toContain(field);
  });

  it("refuses a customer with 403 and an anonymous caller with 401", async () => {
    expect((await expectProblem(await call("GET", "/users", { token: customer }), 403)).code).toBe("forbidden");
    await expectProblem(await call("GET", "/users"), 401);
  });
});

describe("GET /users/{id} (admin)", () => {
  it("returns any user to an admin", async () => {
    const { user } = await registerUser();
    const res = await call("GET", `/users/${user.id}`, { token: admin });
    expect(res.status).toBe(200);
    expect((await res.json()) as User).toEqual(user);
  });

  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    await expectProblem(await call("GET", "/users/usr_00000000000000000000000000", { token: admin }), 404);
    const bad = await expectProblem(await call("GET", "/users/42", { token: admin }), 400);
    expect(bad.errors?.map((e) => e.path)).toEqual(["id"]);
  });

  it("refuses customer A reading customer B with 403 (and reading themselves here too)", async () => {
    const a = await signedInCustomer();
    const b = await registerUser();
    const res = await call("GET", `/users/${b.user.id}`, { token: a.tokens.accessToken });
    const body = await res.text();
    expect(res.status).toBe(403);
    expect(body).not.toContain(b.email);
    expect((await call("GET", `/users/${a.user.id}`, { token: a.tokens.accessToken })).status).toBe(403);
  });

  it("refuses an anonymous caller with 401", async () => {
    const { user } = await registerUser();
    await expectProblem(await call("GET", `/users/${user.id}`), 401);
  });
});
