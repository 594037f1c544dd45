import { env } from "cloudflare:workers";
import type { User, UserPage } from "@shop/contracts";
import { forgedAdminTokens } from "@shop/testing/worker";
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  expectProblem,
  PASSWORD,
  registerUser,
  signedInAdmin,
  signedInCustomer,
  uniqueEmail,
} from "../../helpers";

/**
 * The security matrix of every route that reads a token: no token → 401, a token that is not
 * ours → 401, a customer on an admin route → 403, and one account never reaching another.
 */

/** A well-formed address id (the matrix refuses before any lookup). */
const ADDRESS_ID = "adr_01jd8x3v4k2m9q7r5t6w8y0zab";

type Route = { method: string; path: () => string; body?: unknown; admin: boolean };

let customer: Awaited<ReturnType<typeof signedInCustomer>>;
let admin: Awaited<ReturnType<typeof signedInAdmin>>;

beforeAll(async () => {
  customer = await signedInCustomer();
  admin = await signedInAdmin();
});

const routes: [string, Route][] = [
  ["GET /users/me", { method: "GET", path: () => "/users/me", admin: false }],
  ["PATCH /users/me", { method: "PATCH", path: () => "/users/me", body: { name: "Intruder" }, admin: false }],
  ["GET /users/me/addresses", { method: "GET", path: () => "/users/me/addresses", admin: false }],
  [
    "POST /users/me/addresses",
    {
      method: "POST",
      path: () => "/users/me/addresses",
      body: { name: "Intruder", line1: "1 Main St", city: "Berlin", postalCode: "10117", country: "DE" },
      admin: false,
    },
  ],
  [
    "PATCH /users/me/addresses/{id}",
    { method: "PATCH", path: () => `/users/me/addresses/${ADDRESS_ID}`, body: { city: "Elsewhere" }, admin: false },
  ],
  [
    "DELETE /users/me/addresses/{id}",
    { method: "DELETE", path: () => `/users/me/addresses/${ADDRESS_ID}`, admin: false },
  ],
  ["GET /users", { method: "GET", path: () => "/users", admin: true }],
  ["GET /users/{id}", { method: "GET", path: () => `/users/${customer.user.id}`, admin: true }],
];
const adminRoutes = routes.filter(([, r]) => r.admin);

it("covers every route the OpenAPI document says needs a bearer token", async () => {
  const doc = (await (await call("GET", "/openapi.json")).json()) as {
    paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  };
  const secured = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(
        ([, op]) =>
          (op.security ?? []).some((s) => "bearer" in s) && !(op.security ?? []).some((s) => !Object.keys(s).length),
      )
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
  // Routes the cookie also authenticates, or that only send codes, are covered by their own suites.
  const elsewhere = ["POST /users/me/email/verify", "POST /users/me/phone/verify", "POST /users/me/phone/confirm"];
  expect(secured.filter((r) => !elsewhere.includes(r)).sort()).toEqual(routes.map(([name]) => name).sort());
});

describe.each(routes)("%s", (_name, route) => {
  it("no token → 401 with a Bearer challenge", async () => {
    const res = await call(route.method, route.path(), { body: route.body });
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("a forged, expired or tampered token → 401", async () => {
    for (const [what, token] of await forgedAdminTokens(env.TEST_SIGNING_JWK, admin.user.id)) {
      const res = await call(route.method, route.path(), { token, body: route.body });
      expect(res.status, what).toBe(401);
    }
  });

  it("a non-Bearer Authorization header → 401", async () => {
    const res = await call(route.method, route.path(), {
      body: route.body,
      headers: { authorization: `Basic ${btoa(`${admin.email}:${PASSWORD}`)}` },
    });
    await expectProblem(res, 401);
  });
});

describe.each(adminRoutes)("%s (admin only)", (_name, route) => {
  it("a customer → 403; the same route answers an admin (the control)", async () => {
    const refused = await expectProblem(
      await call(route.method, route.path(), { token: customer.tokens.accessToken }),
      403,
    );
    expect(refused.code).toBe("forbidden");
    expect((await call(route.method, route.path(), { token: admin.tokens.accessToken })).status).toBe(200);
  });
});

describe("one account never reaches another", () => {
  it("GET /users/me answers the caller's own account, never another's", async () => {
    const other = await signedInCustomer();
    const mine = (await (await call("GET", "/users/me", { token: other.tokens.accessToken })).json()) as User;
    expect(mine.id).toBe(other.user.id);
    expect(mine.id).not.toBe(customer.user.id);
  });

  it("PATCH /users/me by B changes B only; A is untouched", async () => {
    const a = await signedInCustomer();
    const b = await signedInCustomer();
    const res = await call("PATCH", "/users/me", { token: b.tokens.accessToken, body: { name: "Bea" } });
    expect(((await res.json()) as User).id).toBe(b.user.id);
    const after = (await (await call("GET", "/users/me", { token: a.tokens.accessToken })).json()) as User;
    expect(after).toEqual(a.user);
  });

  it("a customer cannot list users by email to look another account up", async () => {
    const other = await registerUser();
    const res = await call("GET", `/users?email=${encodeURIComponent(other.email)}`, {
      token: customer.tokens.accessToken,
    });
    const problem = await expectProblem(res, 403);
    expect(JSON.stringify(problem)).not.toContain(other.user.id);
  });
});

describe("POST /users mass assignment", () => {
  it.each([
    ["id", { id: "usr_00000000000000000000000000" }],
    ["emailVerified", { emailVerified: true }],
    ["createdAt", { createdAt: "2020-01-01T00:00:00.000Z" }],
    ["userId", { userId: "usr_00000000000000000000000000" }],
  ])("refuses %s with 400 naming it, and creates no account", async (field, extra) => {
    const email = uniqueEmail("mass");
    const res = await call("POST", "/users", { body: { email, password: PASSWORD, name: "Mallory", ...extra } });
    const problem = await expectProblem(res, 400);
    expect(problem.errors).toEqual([{ path: field, message: "is not a known field" }]);
    const admins = (await (
      await call("GET", `/users?email=${encodeURIComponent(email)}`, { token: admin.tokens.accessToken })
    ).json()) as UserPage;
    expect(admins.items).toEqual([]);
  });
});
